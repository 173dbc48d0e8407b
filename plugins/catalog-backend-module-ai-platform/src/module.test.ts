import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import defaultExport from './index';
import { catalogModuleAiPlatform } from './module';
import { AIPipelineEntityProcessor } from './processor/AIPipelineEntityProcessor';
import { LocalGitLocationProcessor } from './processor/LocalGitLocationProcessor';

describe('catalogModuleAiPlatform', () => {
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
        catalogModuleAiPlatform,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    await backend.stop();
    return { addProcessor, setAllowedLocationTypes };
  }

  it('adds the AIPipeline processor and keeps the default location types', async () => {
    const { addProcessor, setAllowedLocationTypes } = await start({});
    expect(addProcessor).toHaveBeenCalledTimes(1);
    expect(addProcessor).toHaveBeenCalledWith(
      expect.any(AIPipelineEntityProcessor),
    );
    expect(setAllowedLocationTypes).not.toHaveBeenCalled();
  });

  it('adds the local git location type, never file, when the scaffolder publishes to local git', async () => {
    const { addProcessor, setAllowedLocationTypes } = await start({
      aiPlatform: { scaffolder: { localGit: { root: '/tmp/repos' } } },
    });
    expect(addProcessor).toHaveBeenCalledWith(
      expect.any(LocalGitLocationProcessor),
    );
    expect(setAllowedLocationTypes).toHaveBeenCalledWith([
      'url',
      'ai-platform-local-git',
    ]);
  });

  it('is the default export of the package', () => {
    expect(defaultExport).toBe(catalogModuleAiPlatform);
  });
});
