import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import knexFactory from 'knex';
import { KnexGovernanceStore } from '../database/KnexGovernanceStore';
import { KnexSignalStore } from '../database/KnexSignalStore';
import { KnexUsageStore } from '../database/KnexUsageStore';
import { SpendService } from '../service/SpendService';
import { aiPlatformTeamRules } from '@aiplatform/plugin-ai-platform-node';
import { CatalogOwnershipService } from '../service/CatalogOwnershipService';
import { ScaffolderOptionsService } from '../service/ScaffolderOptionsService';
import { DashboardService } from '../service/DashboardService';
import { GovernanceService } from '../service/GovernanceService';
import { createRouter } from '../service/router';
import { SignalIngestService } from '../service/SignalIngestService';

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
}) {
  const knex = options.knex ?? inMemoryKnex();
  const database = mockServices.database({ knex });
  const catalog = catalogServiceMock({ entities: options.entities });
  const logger = options.logger ?? mockServices.logger.mock();
  const signals = await KnexSignalStore.create({ database });
  const governanceStore = await KnexGovernanceStore.create({ database });
  const dashboards = new DashboardService({
    catalog,
    signals,
    governance: governanceStore,
  });
  const ownership = new CatalogOwnershipService({
    catalog,
    logger,
    freshness: () => signals.lastFreshness(),
    health: p => dashboards.getHealth(p),
  });
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
  });
  const app = express();
  app.use(
    await createRouter({
      httpAuth: options.httpAuth ?? mockServices.httpAuth(),
      ownership,
      dashboards,
      ingest: new SignalIngestService({ catalog, sink: signals }),
      spend,
      governance: new GovernanceService({
        catalog,
        permissions,
        store: governanceStore,
      }),
      scaffolderOptions: new ScaffolderOptionsService({
        config: mockServices.rootConfig({ data: options.config ?? {} }),
        catalog,
        auth: mockServices.auth(),
      }),
    }),
  );
  app.use(mockErrorHandler());
  return { app, knex, catalog, logger, signals, governanceStore, usage };
}
