import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import defaultExport from './index';
import { catalogModuleAiPlatformLocalGit } from './module';
import { LocalGitLocationProcessor } from './processor/LocalGitLocationProcessor';

describe('catalogModuleAiPlatformLocalGit', () => {
  async function start(config: object) {
    const addProcessor = jest.fn();
    const setAllowedLocationTypes = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addProcessor,
            addEntityProvider: jest.fn(),
            addPlaceholderResolver: jest.fn(),
            setOnProcessingErrorHandler: jest.fn(),
          },
        ],
        [catalogLocationsExtensionPoint, { setAllowedLocationTypes }],
      ],
      features: [
        catalogModuleAiPlatformLocalGit,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    await backend.stop();
    return { addProcessor, setAllowedLocationTypes };
  }

  it('adds the local git location type and allows only it and url, never file', async () => {
    const { addProcessor, setAllowedLocationTypes } = await start({
      aiPlatform: { localGit: { root: '/tmp/repos' } },
    });
    expect(addProcessor).toHaveBeenCalledTimes(1);
    expect(addProcessor).toHaveBeenCalledWith(
      expect.any(LocalGitLocationProcessor),
    );
    expect(setAllowedLocationTypes).toHaveBeenCalledWith([
      'url',
      'ai-platform-local-git',
    ]);
  });

  it('does not start without aiPlatform.localGit.root, naming the key', async () => {
    await expect(
      start({
        // The key of earlier versions turns nothing on.
        aiPlatform: { scaffolder: { localGit: { root: '/tmp/repos' } } },
      }),
    ).rejects.toThrow(/aiPlatform\.localGit\.root/);
  });

  it('is the default export of the package', () => {
    expect(defaultExport).toBe(catalogModuleAiPlatformLocalGit);
  });
});
