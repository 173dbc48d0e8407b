import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import defaultExport from './index';
import { scaffolderModuleAiPlatformLocalGit } from './module';

describe('scaffolderModuleAiPlatformLocalGit', () => {
  async function start(config: object) {
    const addActions = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleAiPlatformLocalGit,
        mockServices.rootConfig.factory({ data: config }),
        catalogServiceMock.factory(),
      ],
    });
    await backend.stop();
    return addActions.mock.calls.flat().map((a: { id: string }) => a.id);
  }

  it('adds the local git publish and register actions', async () => {
    expect(
      (
        await start({ aiPlatform: { localGit: { root: '/tmp/repos' } } })
      ).sort(),
    ).toEqual([
      'ai-platform:catalog:register-file',
      'ai-platform:publish:local-git',
    ]);
  });

  it('does not start without aiPlatform.localGit.root, naming the key', async () => {
    await expect(start({})).rejects.toThrow(/aiPlatform\.localGit\.root/);
  });

  it('is the default export of the package', () => {
    expect(defaultExport).toBe(scaffolderModuleAiPlatformLocalGit);
  });
});
