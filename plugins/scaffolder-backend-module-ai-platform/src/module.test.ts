import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import defaultExport from './index';
import { scaffolderModuleAiPlatform } from './module';

describe('scaffolderModuleAiPlatform', () => {
  it('adds the governance actions to the scaffolder, and no local git ones', async () => {
    const addActions = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleAiPlatform,
        mockServices.rootConfig.factory({
          data: { aiPlatform: { localGit: { root: '/tmp/repos' } } },
        }),
        catalogServiceMock.factory(),
      ],
    });

    const ids = addActions.mock.calls.flat().map((a: { id: string }) => a.id);
    expect(ids.sort()).toEqual([
      'ai-platform:gateway:route',
      'ai-platform:gpu:provision',
      'ai-platform:owners:check',
      'ai-platform:pipeline:write',
    ]);
    await backend.stop();
  });

  it('is the default export of the package', () => {
    expect(defaultExport).toBe(scaffolderModuleAiPlatform);
  });
});
