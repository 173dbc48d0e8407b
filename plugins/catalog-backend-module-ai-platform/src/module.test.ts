import { startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import defaultExport from './index';
import { catalogModuleAiPlatform } from './module';
import { AIPipelineEntityProcessor } from './processor/AIPipelineEntityProcessor';

describe('catalogModuleAiPlatform', () => {
  it('adds the AIPipeline processor to the catalog', async () => {
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
      features: [catalogModuleAiPlatform],
    });

    expect(addProcessor).toHaveBeenCalledTimes(1);
    expect(addProcessor).toHaveBeenCalledWith(
      expect.any(AIPipelineEntityProcessor),
    );
    await backend.stop();
  });

  it('is the default export of the package', () => {
    expect(defaultExport).toBe(catalogModuleAiPlatform);
  });
});
