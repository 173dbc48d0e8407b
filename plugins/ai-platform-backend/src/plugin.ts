import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  HaltEnforcer,
  aiPlatformHaltEnforcersExtensionPoint,
} from '@aiplatform/plugin-ai-platform-node';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  aiPlatformPermissions,
  aiPlatformSpendReadPermission,
} from '@aiplatform/plugin-ai-platform-common';
import {
  aiPlatformTeamResourceRef,
  aiPlatformTeamRules,
} from '@aiplatform/plugin-ai-platform-node';
import { KnexUsageStore } from './spend/KnexUsageStore';
import { SpendService } from './spend/SpendService';
import { BudgetWatcher } from './spend/BudgetWatcher';
import { SloWatcher } from './signals/SloWatcher';
import { schedulePrometheusCollector } from './signals/prometheus';
import { scheduleLiteLLMCollector } from './spend/litellm';
import { KnexGovernanceStore } from './governance/KnexGovernanceStore';
import { KnexSignalStore } from './signals/KnexSignalStore';
import { CatalogOwnershipService } from './ownership/CatalogOwnershipService';
import { DashboardService } from './signals/DashboardService';
import { GovernanceService } from './governance/GovernanceService';
import { HaltEnforcement } from './governance/HaltEnforcement';
import { readBuiltInEnforcers } from './governance/enforcers/builtInEnforcers';
import { ScaffolderOptionsService } from './scaffolder/ScaffolderOptionsService';
import { createRouter } from './router';
import { SignalIngestService } from './signals/SignalIngestService';
import { withCatalogErrors } from './shared/catalog/catalogErrors';
import { PipelineCatalog } from './shared/catalog/PipelineCatalog';
import { CatalogVisibility } from './shared/catalog/CatalogVisibility';
import { readIngestionSettings } from './shared/ingestion/ingestionConfig';
import { registerAiPlatformActions } from './actions/registerActions';
import { PipelineNotifier } from './notifications/PipelineNotifier';
import { LiveUpdates } from './notifications/LiveUpdates';
import { FindingWatcher } from './ownership/FindingWatcher';

/**
 * The AI Platform backend plugin.
 *
 * @public
 */
export const aiPlatformPlugin = createBackendPlugin({
  pluginId: 'ai-platform',
  register(env) {
    // Halt enforcers from modules (aiPlatformHaltEnforcersExtensionPoint).
    const moduleEnforcers: HaltEnforcer[] = [];
    env.registerExtensionPoint(aiPlatformHaltEnforcersExtensionPoint, {
      addHaltEnforcer(enforcer) {
        moduleEnforcers.push(enforcer);
      },
    });
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
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
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
        userInfo,
        catalog: catalogService,
        actionsRegistry,
        notifications,
        signals: signalsService,
      }) {
        // Catalog failures are 503s that name the catalog, for every service.
        const catalog = withCatalogErrors(catalogService);
        const ingestion = readIngestionSettings(config);
        permissionsRegistry.addPermissions(aiPlatformPermissions);
        permissionsRegistry.addResourceType({
          resourceRef: aiPlatformTeamResourceRef,
          permissions: [aiPlatformSpendReadPermission],
          rules: Object.values(aiPlatformTeamRules),
        });
        const signals = await KnexSignalStore.create({ database });
        const governance = await KnexGovernanceStore.create({ database });
        const usage = await KnexUsageStore.create({ database });
        // Built-in enforcers first; bad config stops the start, naming the key.
        const enforcement = new HaltEnforcement({
          enforcers: [...readBuiltInEnforcers(config), ...moduleEnforcers],
          catalog,
          auth,
          logger,
        });
        await enforcement.schedule(scheduler, governance);
        const spend = new SpendService({
          catalog,
          store: usage,
          permissions,
          teamRules: permissionsRegistry.getPermissionRuleset(
            aiPlatformTeamResourceRef,
          ),
          rawRetentionMs: ingestion.rawRetentionMs,
          clockSkewMs: ingestion.clockSkewMs,
        });
        const spendReader = spend.spendReader.bind(spend);
        const dashboards = new DashboardService({
          catalog,
          signals,
          governance,
          spendReader,
        });
        // The one catalog view of AI pipelines, kept current on each instance.
        const view = new PipelineCatalog({ catalog, auth, logger });
        await view.schedule(scheduler, config);
        const ownership = new CatalogOwnershipService({
          catalog,
          view,
          visibility: new CatalogVisibility({ catalog, permissions }),
          logger,
          freshness: () => signals.lastFreshness(),
          health: pipelines => dashboards.getHealth(pipelines),
        });
        await schedulePrometheusCollector({
          config,
          scheduler,
          pipelines: view,
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
        const ingest = new SignalIngestService({
          catalog,
          pipelines: view,
          sink: signals,
          maxAgeMs: ingestion.signalMaxAgeMs,
          clockSkewMs: ingestion.clockSkewMs,
        });
        const notifier = new PipelineNotifier({
          notifications,
          ownership,
          catalog,
          auth,
          logger,
        });
        const liveUpdates = new LiveUpdates({
          signals: signalsService,
          logger,
        });
        const governanceService = new GovernanceService({
          catalog,
          permissions,
          store: governance,
          spendReader,
          enforcement,
          sloReports: pipeline => dashboards.getSloReports(pipeline),
          notifier,
          liveUpdates,
          serviceSubjects:
            config.getOptionalStringArray(
              'aiPlatform.governance.serviceSubjects',
            ) ?? [],
        });
        await new BudgetWatcher({
          catalog,
          auth,
          logger,
          spend,
          usage,
          governance,
          rawRetentionDays: ingestion.rawRetentionMs / 86_400_000,
          notifier,
        }).schedule(scheduler);
        await new SloWatcher({
          pipelines: view,
          logger,
          dashboards,
          governance,
          cursors: usage,
          halts: governanceService,
          notifier,
          liveUpdates,
        }).schedule(scheduler);
        await new FindingWatcher({
          catalog,
          auth,
          logger,
          ownership,
          cursors: usage,
          notifier,
        }).schedule(scheduler);
        // The actions for agents answer what the routes answer.
        registerAiPlatformActions(actionsRegistry, {
          ownership,
          dashboards,
          spend,
          governance: governanceService,
        });
        // Ingestion routes check service credentials themselves, before the
        // body is read, and close the connection on a refusal; Backstage's
        // credentials barrier would answer 401 first and then drain the body.
        for (const path of ['/usage', '/signals', '/openlineage']) {
          httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
        httpRouter.use(
          await createRouter({
            httpAuth,
            logger,
            ingestion,
            ownership,
            dashboards,
            ingest,
            spend,
            governance: governanceService,
            scaffolderOptions: new ScaffolderOptionsService({
              config,
              catalog,
              auth,
              userInfo,
            }),
          }),
        );
      },
    });
  },
});
