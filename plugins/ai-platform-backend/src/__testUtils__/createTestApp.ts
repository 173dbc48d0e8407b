import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import knexFactory from 'knex';
import { KnexGovernanceStore } from '../governance/KnexGovernanceStore';
import { KnexSignalStore } from '../signals/KnexSignalStore';
import { KnexUsageStore } from '../spend/KnexUsageStore';
import { SpendService } from '../spend/SpendService';
import { aiPlatformTeamRules } from '@aiplatform/plugin-ai-platform-node';
import { CatalogOwnershipService } from '../ownership/CatalogOwnershipService';
import { ScaffolderOptionsService } from '../scaffolder/ScaffolderOptionsService';
import { DashboardService } from '../signals/DashboardService';
import { GovernanceService } from '../governance/GovernanceService';
import { HaltEnforcement } from '../governance/HaltEnforcement';
import { readBuiltInEnforcers } from '../governance/enforcers/builtInEnforcers';
import { HaltEnforcer } from '@aiplatform/plugin-ai-platform-node';
import { createRouter } from '../router';
import { SignalIngestService } from '../signals/SignalIngestService';
import { withCatalogErrors } from '../shared/catalog/catalogErrors';
import { PipelineCatalog } from '../shared/catalog/PipelineCatalog';
import { CatalogVisibility } from '../shared/catalog/CatalogVisibility';
import {
  IngestionSettings,
  readIngestionSettings,
} from '../shared/ingestion/ingestionConfig';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** An in-memory SQLite knex, for tests that do not care which database. */
export function inMemoryKnex(): Knex {
  return knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
}

/**
 * The plugin's router wired to real services and stores over `knex`, with
 * the catalog mocked in memory and Backstage's error handler behind it.
 */
export async function createTestApp(options: {
  entities: Entity[];
  knex?: Knex;
  httpAuth?: HttpAuthService;
  permissions?: PermissionsService;
  /** Defaults to a jest mock; pass a real one outside jest (benchmarks). */
  logger?: LoggerService;
  /** Root config (e.g. `aiPlatform.gpu`); defaults to empty. */
  config?: JsonObject;
  /**
   * The clock of ingestion's time windows (raw usage retention, signal age,
   * clock skew), for tests whose data sits at a fixed date; default now.
   */
  now?: number | (() => number);
  /** Replaces the in-memory catalog (e.g. one that fails). */
  catalog?: CatalogService;
  /** The callers' user info (ownership refs); default: only themselves. */
  userInfo?: UserInfoService;
  /** Halt enforcers besides the built-in ones `config` enables. */
  haltEnforcers?: HaltEnforcer[];
}) {
  const knex = options.knex ?? inMemoryKnex();
  const database = mockServices.database({ knex });
  const catalogMock = catalogServiceMock({ entities: options.entities });
  const catalog = withCatalogErrors(options.catalog ?? catalogMock);
  const logger = options.logger ?? mockServices.logger.mock();
  const rootConfig = mockServices.rootConfig({ data: options.config ?? {} });
  const ingestion: IngestionSettings = readIngestionSettings(rootConfig);
  const now =
    typeof options.now === 'number' ? () => options.now as number : options.now;
  const signals = await KnexSignalStore.create({ database });
  const governanceStore = await KnexGovernanceStore.create({ database });
  const usage = await KnexUsageStore.create({ database });
  const permissions =
    options.permissions ??
    mockServices.permissions({ result: AuthorizeResult.ALLOW });
  const spend = new SpendService({
    catalog,
    store: usage,
    permissions,
    teamRules: {
      getRuleByName: name => {
        const rule = Object.values(aiPlatformTeamRules).find(
          r => r.name === name,
        );
        if (!rule) throw new Error(`No rule ${name}`);
        return rule as any;
      },
    },
    rawRetentionMs: ingestion.rawRetentionMs,
    clockSkewMs: ingestion.clockSkewMs,
    now,
  });
  const spendReader = spend.spendReader.bind(spend);
  const dashboards = new DashboardService({
    catalog,
    signals,
    governance: governanceStore,
    spendReader,
  });
  // The catalog view as the plugin has it; tests that change the catalog
  // afterwards call `view.refresh()` (the plugin's task does it every 30 s).
  const view = new PipelineCatalog({
    catalog,
    auth: mockServices.auth(),
    logger,
  });
  const ownership = new CatalogOwnershipService({
    catalog,
    view,
    visibility: new CatalogVisibility({ catalog, permissions }),
    logger,
    freshness: () => signals.lastFreshness(),
    health: p => dashboards.getHealth(p),
  });
  const enforcement = new HaltEnforcement({
    enforcers: [
      ...readBuiltInEnforcers(rootConfig),
      ...(options.haltEnforcers ?? []),
    ],
    catalog,
    auth: mockServices.auth(),
    logger,
  });
  const app = express();
  app.use(
    await createRouter({
      httpAuth: options.httpAuth ?? mockServices.httpAuth(),
      logger,
      ingestion,
      ownership,
      dashboards,
      ingest: new SignalIngestService({
        catalog,
        pipelines: view,
        sink: signals,
        maxAgeMs: ingestion.signalMaxAgeMs,
        clockSkewMs: ingestion.clockSkewMs,
        now,
      }),
      spend,
      governance: new GovernanceService({
        catalog,
        permissions,
        store: governanceStore,
        spendReader,
        enforcement,
        serviceSubjects:
          rootConfig.getOptionalStringArray(
            'aiPlatform.governance.serviceSubjects',
          ) ?? [],
      }),
      scaffolderOptions: new ScaffolderOptionsService({
        config: rootConfig,
        catalog,
        auth: mockServices.auth(),
        userInfo: options.userInfo ?? mockServices.userInfo(),
      }),
    }),
  );
  app.use(mockErrorHandler());
  return {
    app,
    knex,
    catalog: catalogMock,
    view,
    logger,
    signals,
    governanceStore,
    usage,
    spend,
    enforcement,
  };
}
