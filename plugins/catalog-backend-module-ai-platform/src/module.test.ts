import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import defaultExport from './index';
import { catalogModuleAiPlatform } from './module';
import { AIPipelineEntityProcessor } from './processor/AIPipelineEntityProcessor';

describe('catalogModuleAiPlatform', () => {
  async function start(config: object) {
    const addProcessor = jest.fn();
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
      ],
      features: [
        catalogModuleAiPlatform,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    await backend.stop();
    return { addProcessor };
  }

  it('adds only the AIPipeline processor, whatever the local git config', async () => {
    // The local git location type is a module of its own
    // (@aiplatform/plugin-catalog-backend-module-ai-platform-local-git).
    for (const config of [
      {},
      { aiPlatform: { localGit: { root: '/tmp/repos' } } },
      { aiPlatform: { scaffolder: { localGit: { root: '/tmp/repos' } } } },
    ]) {
      const { addProcessor } = await start(config);
      expect(addProcessor).toHaveBeenCalledTimes(1);
      expect(addProcessor).toHaveBeenCalledWith(
        expect.any(AIPipelineEntityProcessor),
      );
    }
  });

  it('is the default export of the package', () => {
    expect(defaultExport).toBe(catalogModuleAiPlatform);
  });
});
