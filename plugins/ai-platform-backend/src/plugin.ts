import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  aiPlatformPermissions,
  aiPlatformSpendReadPermission,
} from '@aiplatform/plugin-ai-platform-common';
import {
  aiPlatformTeamResourceRef,
  aiPlatformTeamRules,
} from '@aiplatform/plugin-ai-platform-node';
import { KnexUsageStore } from './database/KnexUsageStore';
import { SpendService } from './service/SpendService';
import { BudgetWatcher } from './service/BudgetWatcher';
import { SloWatcher } from './service/SloWatcher';
import { schedulePrometheusCollector } from './collectors';
import { scheduleLiteLLMCollector } from './collectors/litellm';
import { scheduleDemoSignalReplay } from './demo/replayDemoSignals';
import { scheduleDemoUsageReplay } from './demo/replayDemoUsage';
import { KnexGovernanceStore } from './database/KnexGovernanceStore';
import { KnexSignalStore } from './database/KnexSignalStore';
import { CatalogOwnershipService } from './service/CatalogOwnershipService';
import { DashboardService } from './service/DashboardService';
import { GovernanceService } from './service/GovernanceService';
import { ScaffolderOptionsService } from './service/ScaffolderOptionsService';
import { createRouter } from './service/router';
import { SignalIngestService } from './service/SignalIngestService';

/**
 * The AI Platform backend plugin.
 *
 * @public
 */
export const aiPlatformPlugin = createBackendPlugin({
  pluginId: 'ai-platform',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        database: coreServices.database,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({
        logger,
        httpAuth,
        httpRouter,
        database,
        permissions,
        permissionsRegistry,
        config,
        scheduler,
        auth,
        catalog,
      }) {
        permissionsRegistry.addPermissions(aiPlatformPermissions);
        permissionsRegistry.addResourceType({
          resourceRef: aiPlatformTeamResourceRef,
          permissions: [aiPlatformSpendReadPermission],
          rules: Object.values(aiPlatformTeamRules),
        });
        const signals = await KnexSignalStore.create({ database });
        const governance = await KnexGovernanceStore.create({ database });
        const usage = await KnexUsageStore.create({ database });
        const spend = new SpendService({
          catalog,
          store: usage,
          permissions,
          teamRules: permissionsRegistry.getPermissionRuleset(
            aiPlatformTeamResourceRef,
          ),
        });
        const dashboards = new DashboardService({
          catalog,
          signals,
          governance,
        });
        const ownership = new CatalogOwnershipService({
          catalog,
          logger,
          freshness: () => signals.lastFreshness(),
          health: pipeline => dashboards.getHealth(pipeline),
        });
        await schedulePrometheusCollector({
          config,
          scheduler,
          catalog,
          auth,
          logger,
          sink: signals,
        });
        await scheduleLiteLLMCollector({
          config,
          scheduler,
          logger,
          sink: usage,
          cursors: usage,
        });
        const ingest = new SignalIngestService({ catalog, sink: signals });
        await new BudgetWatcher({
          catalog,
          auth,
          logger,
          spend,
          usage,
          governance,
          rawRetentionDays:
            config.getOptionalNumber('aiPlatform.usage.rawRetentionDays') ?? 90,
        }).schedule(scheduler);
        await new SloWatcher({
          catalog,
          auth,
          logger,
          dashboards,
          governance,
          cursors: usage,
        }).schedule(scheduler);
        if (config.getOptionalBoolean('aiPlatform.demo.usage')) {
          await scheduleDemoUsageReplay({ scheduler, logger, spend });
        }
        if (config.getOptionalBoolean('aiPlatform.demo.signals')) {
          await scheduleDemoSignalReplay({ scheduler, auth, logger, ingest });
        }
        httpRouter.use(
          await createRouter({
            httpAuth,
            ownership,
            dashboards,
            ingest,
            spend,
            governance: new GovernanceService({
              catalog,
              permissions,
              store: governance,
            }),
            scaffolderOptions: new ScaffolderOptionsService({
              config,
              catalog,
              auth,
            }),
          }),
        );
      },
    });
  },
});
