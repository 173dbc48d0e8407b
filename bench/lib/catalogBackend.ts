/*
 * A real Backstage backend for benchmarks: backend-defaults' HTTP server,
 * database, discovery, permissions (disabled: allow all), scheduler and
 * the rest, with the real catalog backend (plus the AIPipeline processor
 * module), the AI Platform backend, and the real notifications and signals
 * backends. Only auth is mocked (test tokens, as the plugin's HTTP tests).
 *
 * The catalog is filled by an entity provider that applies one full mutation
 * of the given entities when the catalog connects it.
 *
 * Database: SQLite files in a temp directory, or a fresh PostgreSQL database
 * (one schema per plugin) that `stop()` drops.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import knexFactory, { Knex } from 'knex';
import { JsonObject } from '@backstage/types';
import {
  SchedulerService,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { createBackend } from '@backstage/backend-defaults';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import signalsPlugin from '@backstage/plugin-signals-backend';
import catalogModuleAiPlatform from '../../plugins/catalog-backend-module-ai-platform/src';
import aiPlatformPlugin from '../../plugins/ai-platform-backend/src';

export type BenchDatabase = 'sqlite' | 'postgres';

export interface CatalogBackendOptions {
  database: BenchDatabase;
  /** Entities as a provider would emit them (no relations; annotations added here). */
  entities: Entity[];
  /** PostgreSQL server (default postgresql://postgres@127.0.0.1:5432). */
  postgresUrl?: string;
  /** Extra `catalog` config (e.g. processingInterval). */
  catalogConfig?: JsonObject;
  /**
   * When false (the default), the ai-platform plugin's scheduled tasks (SLO,
   * budget and finding watchers, halt enforcement) never run on their own,
   * so they do not compete with the measured requests; every other plugin
   * has the real scheduler.
   */
  aiPlatformTasks?: boolean;
  logLevel?: 'none' | 'error' | 'warn' | 'info' | 'debug';
}

export interface CatalogBackend {
  baseUrl: string;
  /** performance.now() when backend.start() was called, and when it resolved. */
  startCalledAt: number;
  startedAt: number;
  /** Resolves with performance.now() when the provider's full mutation was written. */
  mutationApplied: Promise<number>;
  /** A knex on the catalog plugin's own database (for progress queries). */
  catalogDb(): Promise<Knex>;
  /** Authorization header of a user. */
  userHeader: string;
  stop(): Promise<void>;
}

const LOCATION = 'bench:synthetic-catalog';

/** Connections per plugin on PostgreSQL (BENCH_PG_POOL_MAX, default 4). */
export const PG_POOL_MAX = Number(process.env.BENCH_PG_POOL_MAX ?? 4);

/** A port free now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * Tasks that serve requests rather than watch: they run on their schedule
 * (the catalog view keeps itself current; the routes read it).
 */
const SERVING_TASKS = new Set(['ai-platform-catalog-view']);

/** Milliseconds of a `{ seconds, minutes }` frequency (30 s otherwise). */
function frequencyMs(frequency: unknown): number {
  const f = frequency as { seconds?: number; minutes?: number } | undefined;
  const ms = ((f?.minutes ?? 0) * 60 + (f?.seconds ?? 0)) * 1000;
  return ms > 0 ? ms : 30_000;
}

/**
 * A scheduler whose watcher tasks never run unless triggered; the serving
 * tasks (SERVING_TASKS) run at once and then on their frequency.
 */
function idleScheduler(): SchedulerService {
  const tasks = new Map<string, unknown>();
  return {
    async scheduleTask(task) {
      tasks.set(task.id, task);
      if (SERVING_TASKS.has(task.id)) {
        const run = () => {
          Promise.resolve(task.fn(new AbortController().signal)).catch(
            () => undefined,
          );
        };
        run();
        setInterval(run, frequencyMs(task.frequency)).unref();
      }
    },
    createScheduledTaskRunner() {
      return {
        async run(task) {
          tasks.set(task.id, task);
        },
      };
    },
    async triggerTask() {},
    async cancelTask() {},
    async getScheduledTasks() {
      return [...tasks.keys()].map(id => ({
        id,
        scope: 'global' as const,
        settings: { version: 2 },
      }));
    },
  };
}

function withAnnotations(entity: Entity): Entity {
  const { relations: _relations, ...rest } = entity;
  return {
    ...rest,
    metadata: {
      ...rest.metadata,
      annotations: {
        ...rest.metadata.annotations,
        [ANNOTATION_LOCATION]: LOCATION,
        [ANNOTATION_ORIGIN_LOCATION]: LOCATION,
      },
    },
  };
}

async function createPostgresDatabase(url: string) {
  const name = `bench_catalog_${process.pid}_${Date.now().toString(36)}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  try {
    await admin.raw('CREATE DATABASE ??', [name]);
  } finally {
    await admin.destroy();
  }
  const parsed = new URL(url);
  const connection = {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || 'postgres'),
    ...(parsed.password
      ? { password: decodeURIComponent(parsed.password) }
      : {}),
    database: name,
  };
  return {
    name,
    connection,
    async drop() {
      const again = knexFactory({ client: 'pg', connection: url });
      try {
        await again.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      } finally {
        await again.destroy();
      }
    },
  };
}

export async function startCatalogBackend(
  options: CatalogBackendOptions,
): Promise<CatalogBackend> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const postgresUrl =
    options.postgresUrl ?? 'postgresql://postgres@127.0.0.1:5432';

  let databaseConfig: JsonObject;
  let cleanupDatabase: () => Promise<void>;
  let catalogDb: () => Knex;
  if (options.database === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-'));
    databaseConfig = {
      client: 'better-sqlite3',
      connection: { directory: dir },
    };
    cleanupDatabase = async () =>
      fs.rmSync(dir, { recursive: true, force: true });
    catalogDb = () =>
      knexFactory({
        client: 'better-sqlite3',
        connection: {
          filename: path.join(dir, 'catalog.sqlite'),
          options: { readonly: true, timeout: 10_000 },
        } as Knex.Sqlite3ConnectionConfig,
        useNullAsDefault: true,
      });
  } else {
    const db = await createPostgresDatabase(postgresUrl);
    databaseConfig = {
      client: 'pg',
      connection: db.connection,
      pluginDivisionMode: 'schema',
      // The PostgreSQL server is shared (max_connections 100 here): with the
      // default pools (up to 10 connections per plugin) this backend held
      // over 100 connections under load and starved every other client.
      knexConfig: { pool: { min: 0, max: PG_POOL_MAX } },
    };
    cleanupDatabase = db.drop;
    catalogDb = () =>
      knexFactory({
        client: 'pg',
        connection: db.connection,
        searchPath: ['catalog'],
        pool: { min: 0, max: 1 },
      });
  }

  let resolveApplied!: (at: number) => void;
  let rejectApplied!: (error: unknown) => void;
  const mutationApplied = new Promise<number>((resolve, reject) => {
    resolveApplied = resolve;
    rejectApplied = reject;
  });
  const entities = options.entities.map(withAnnotations);
  const provider = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-synthetic-provider',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'bench-synthetic',
            async connect(connection) {
              // Not awaited: the catalog's start does not wait for the load.
              connection
                .applyMutation({
                  type: 'full',
                  entities: entities.map(entity => ({
                    entity,
                    locationKey: LOCATION,
                  })),
                })
                .then(() => resolveApplied(performance.now()), rejectApplied);
            },
          });
        },
      });
    },
  });

  const aiPlatformTasks = options.aiPlatformTasks ?? false;
  const scheduler = createServiceFactory({
    service: coreServices.scheduler,
    deps: {
      database: coreServices.database,
      logger: coreServices.logger,
      rootLifecycle: coreServices.rootLifecycle,
      httpRouter: coreServices.httpRouter,
      pluginMetadata: coreServices.pluginMetadata,
      metrics: metricsServiceRef,
    },
    async factory(deps) {
      if (!aiPlatformTasks && deps.pluginMetadata.getId() === 'ai-platform') {
        return idleScheduler();
      }
      return DefaultSchedulerService.create(deps);
    },
  });

  const backend = createBackend();
  backend.add(
    mockServices.rootConfig.factory({
      data: {
        app: { baseUrl: 'http://localhost:3000' },
        backend: {
          baseUrl,
          listen: { host: '127.0.0.1', port },
          database: databaseConfig,
        },
        permission: { enabled: false },
        catalog: {
          rules: [
            {
              allow: [
                'Component',
                'System',
                'API',
                'Resource',
                'Location',
                'Group',
                'User',
                'AIPipeline',
              ],
            },
          ],
          locations: [],
          ...options.catalogConfig,
        },
      },
    }),
  );
  backend.add(
    mockServices.rootLogger.factory({ level: options.logLevel ?? 'warn' }),
  );
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(mockServices.userInfo.factory());
  backend.add(scheduler);
  backend.add(catalogPlugin);
  backend.add(catalogModuleAiPlatform);
  backend.add(provider);
  backend.add(aiPlatformPlugin);
  backend.add(notificationsPlugin);
  backend.add(signalsPlugin);

  const startCalledAt = performance.now();
  await backend.start();
  const startedAt = performance.now();

  const knexes: Knex[] = [];
  return {
    baseUrl,
    startCalledAt,
    startedAt,
    mutationApplied,
    async catalogDb() {
      const k = catalogDb();
      knexes.push(k);
      return k;
    },
    userHeader: mockCredentials.user.header('user:default/u-0-0-0'),
    async stop() {
      for (const k of knexes) await k.destroy();
      await backend.stop();
      await cleanupDatabase();
    },
  };
}
