import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { IngestionClient } from './IngestionClient';
import { readDemoSettings } from './demoSettings';
import {
  HALT_WEBHOOK_PATH,
  createHaltWebhookReceiver,
  readHaltWebhookSettings,
} from './haltWebhookReceiver';
import { scheduleDemoSignalReplay } from './replayDemoSignals';
import { scheduleDemoUsageReplay } from './replayDemoUsage';

/**
 * Replays demo history into the AI Platform backend when it starts:
 * 90 days of gateway usage (`aiPlatform.demo.usage`) and 30 days of pipeline
 * signals (`aiPlatform.demo.signals`), through the backend's own ingestion
 * routes with the plugin's service credentials; and, with
 * `aiPlatform.demo.haltWebhook.logFile`, a receiver for the webhook halt
 * enforcer that logs each signed call it gets. For demo and trial portals.
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
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, scheduler, discovery, auth, httpRouter }) {
        const settings = readDemoSettings(config);
        const webhook = readHaltWebhookSettings(config);
        if (webhook) {
          // Called by the backend's webhook enforcer; the HMAC is the check.
          httpRouter.addAuthPolicy({
            path: HALT_WEBHOOK_PATH,
            allow: 'unauthenticated',
          });
          httpRouter.use(createHaltWebhookReceiver({ ...webhook, logger }));
          logger.info(
            `Demo halt webhook receiver at /api/ai-platform${HALT_WEBHOOK_PATH}, logging to ${webhook.logFile}`,
          );
        }
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
