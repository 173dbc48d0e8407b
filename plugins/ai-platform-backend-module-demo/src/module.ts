import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { IngestionClient } from './IngestionClient';
import { readDemoSettings } from './demoSettings';
import { scheduleDemoSignalReplay } from './replayDemoSignals';
import { scheduleDemoUsageReplay } from './replayDemoUsage';

/**
 * Replays demo history into the AI Platform backend when it starts:
 * 90 days of gateway usage (`aiPlatform.demo.usage`) and 30 days of pipeline
 * signals (`aiPlatform.demo.signals`), through the backend's own ingestion
 * routes with the plugin's service credentials. For demo and trial portals.
 *
 * @public
 */
export const aiPlatformModuleDemo = createBackendModule({
  pluginId: 'ai-platform',
  moduleId: 'demo',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ config, logger, scheduler, discovery, auth }) {
        const settings = readDemoSettings(config);
        const ingestion = new IngestionClient({ discovery, auth });
        if (settings.usage) {
          await scheduleDemoUsageReplay({
            scheduler,
            logger,
            ingestion,
            rawRetentionMs: settings.rawRetentionMs,
          });
        }
        if (settings.signals) {
          await scheduleDemoSignalReplay({
            scheduler,
            logger,
            ingestion,
            signalMaxAgeMs: settings.signalMaxAgeMs,
          });
        }
      },
    });
  },
});
