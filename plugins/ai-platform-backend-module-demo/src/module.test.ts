import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { httpRouterServiceFactory } from '@backstage/backend-defaults/httpRouter';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  LoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the test runs the real plugin this module extends
import aiPlatformPlugin from '@aiplatform/plugin-ai-platform-backend';
import { Knex } from 'knex';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import defaultExport from './index';
import { aiPlatformModuleDemo } from './module';
import {
  DEMO_PIPELINES,
  DEMO_STEP_MS,
  generateDemoSignals,
} from './demoSignals';
import { DEMO_USAGE_DAYS, generateDemoUsageDay } from './demoUsage';
import { WINDOW_EDGE_MS } from './demoSettings';
import { DEMO_SIGNALS_TASK_ID } from './replayDemoSignals';
import { DEMO_USAGE_TASK_ID } from './replayDemoUsage';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A static token of a reading service, to look at what arrived. */
const READER_TOKEN = 'demo-module-test-reader-token-0123456789';

// SQLite always; PostgreSQL 15 when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING names one.
const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});

/** The demo catalog itself: examples/org.yaml, systems.yaml, pipelines.yaml. */
async function exampleEntities(): Promise<Entity[]> {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'examples', 'pipelines.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No examples/ above ${__dirname}`);
    dir = parent;
  }
  const entities: Entity[] = [];
  for (const file of ['org.yaml', 'systems.yaml', 'pipelines.yaml']) {
    const text = await fs.readFile(path.join(dir, 'examples', file), 'utf8');
    for (const doc of yaml.parseAllDocuments(text)) {
      const entity = doc.toJS() as Entity | null;
      if (entity?.kind) entities.push(entity);
    }
  }
  return entities;
}

/** A logger that keeps the messages of every plugin and module. */
function recordingLogger(messages: string[]): LoggerService {
  const log = (message: string) => {
    messages.push(message);
  };
  return {
    error: log,
    warn: log,
    info: log,
    debug: () => {},
    child: () => recordingLogger(messages),
  };
}

/**
 * The real AI Platform backend with this module, Backstage's real auth,
 * httpAuth and httpRouter services (so the replay's plugin token is issued
 * and verified as in a portal), the example catalog, and a scheduler the
 * test triggers.
 */
async function startDemoBackend(knex: Knex, entities: Entity[]) {
  const scheduler = mockServices.scheduler();
  const messages: string[] = [];
  const backend = await startTestBackend({
    features: [
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => recordingLogger(messages),
      }),
      aiPlatformPlugin,
      aiPlatformModuleDemo,
      catalogServiceMock.factory({ entities }),
      // Tasks run only when the test triggers them.
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      authServiceFactory,
      httpAuthServiceFactory,
      httpRouterServiceFactory,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: READER_TOKEN, subject: 'test-reader' },
                },
              ],
            },
          },
          aiPlatform: {
            demo: { usage: true, signals: true },
            // Short windows: the replay must leave out what they refuse.
            usage: { rawRetentionDays: 3 },
            signals: { maxAgeDays: 2 },
          },
        },
      }),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}/api/ai-platform`;
  const get = async (route: string) => {
    const res = await fetch(`${baseUrl}${route}`, {
      headers: { authorization: `Bearer ${READER_TOKEN}` },
    });
    expect(res.status).toBe(200);
    return res.json();
  };
  return { backend, scheduler, get, messages };
}

/** Requests in a time range, attributed or not. */
async function requestsBetween(
  get: (route: string) => Promise<any>,
  from: number,
  to: number,
): Promise<number> {
  const spend = await get(
    `/spend?groupBy=service&from=${new Date(from).toISOString()}&to=${new Date(
      to,
    ).toISOString()}`,
  );
  return (
    spend.items.reduce(
      (n: number, i: { requests: number }) => n + i.requests,
      0,
    ) + spend.unattributed.requests
  );
}

/** Points of every series of a pipeline's dashboard in a time range. */
async function pointsBetween(
  get: (route: string) => Promise<any>,
  pipeline: string,
  from: number,
  to: number,
): Promise<number> {
  const dashboard = await get(
    `/pipelines/default/${pipeline}/dashboard?from=${new Date(
      from,
    ).toISOString()}&to=${new Date(to).toISOString()}`,
  );
  return dashboard.series.reduce(
    (n: number, s: { buckets: Array<{ count: number }> }) =>
      n + s.buckets.reduce((m, b) => m + b.count, 0),
    0,
  );
}

describe('aiPlatformModuleDemo', () => {
  it('is the default export of the package', () => {
    expect(defaultExport).toBe(aiPlatformModuleDemo);
  });
});

/**
 * What the replay should send at `now` with the windows of the test config
 * (the backend's rules: usage from raw retention on, points from
 * `signals.maxAgeDays` on, nothing after now), from the generators.
 */
function expectedReplay(now: number) {
  const usageAnchor = Math.floor(now / DAY) * DAY;
  const oldestUsage = now - 3 * DAY + WINDOW_EDGE_MS;
  let usage = 0;
  for (let daysAgo = DEMO_USAGE_DAYS; daysAgo >= 0; daysAgo--) {
    usage += generateDemoUsageDay(usageAnchor, daysAgo).filter(r => {
      const ts = Date.parse(r.timestamp as string);
      return ts >= oldestUsage && ts <= now;
    }).length;
  }
  const signalAnchor = Math.floor(now / DEMO_STEP_MS) * DEMO_STEP_MS;
  const oldestPoint = now - 2 * DAY + WINDOW_EDGE_MS;
  const signals = new Map(
    DEMO_PIPELINES.map(pipeline => [
      pipeline,
      generateDemoSignals(pipeline, signalAnchor).filter(
        p => Number(p.timestamp) >= oldestPoint,
      ).length,
    ]),
  );
  return { usage, signals };
}

describe.each(databases.eachSupportedId())(
  'demo replay through the ingestion routes, on %s',
  (databaseId: TestDatabaseId) => {
    // The clock stands still (timers run), so both replays below send the
    // same records and the test knows which.
    const now = Date.now();
    let knex: Knex;
    let entities: Entity[];

    beforeAll(async () => {
      jest.useFakeTimers({
        now,
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      });
      knex = await databases.init(databaseId);
      entities = await exampleEntities();
    });

    afterAll(() => {
      jest.useRealTimers();
    });

    it('replays usage and signals with the plugin token, within the windows, and a restart adds nothing', async () => {
      const expected = expectedReplay(now);
      const first = await startDemoBackend(knex, entities);
      expect(await requestsBetween(first.get, now - 60 * DAY, now + HOUR)).toBe(
        0,
      );

      await first.scheduler.triggerTask(DEMO_USAGE_TASK_ID);
      await first.scheduler.triggerTask(DEMO_SIGNALS_TASK_ID);
      expect(first.messages).toContain(
        `Replayed ${expected.usage} demo usage records (${expected.usage} new)`,
      );
      for (const [pipeline, count] of expected.signals) {
        expect(first.messages).toContain(
          `Replayed ${count} demo signals for ${pipeline} (${count} new)`,
        );
      }

      // Every replayed request is there; none older than raw retention.
      expect(expected.usage).toBeGreaterThan(1_000);
      expect(await requestsBetween(first.get, now - 60 * DAY, now + HOUR)).toBe(
        expected.usage,
      );
      expect(
        await requestsBetween(first.get, now - 60 * DAY, now - 4 * DAY),
      ).toBe(0);
      const spend = await first.get(
        `/spend?groupBy=service&from=${new Date(now - 3 * DAY).toISOString()}`,
      );
      expect(spend.items.map((i: { key: string }) => i.key)).toEqual(
        expect.arrayContaining([
          'component:default/agent-assist',
          'component:default/answer-generator',
        ]),
      );
      expect(
        spend.unattributed.items.map((i: { key: string }) => i.key),
      ).toEqual(expect.arrayContaining(['dave-personal-key']));

      // Every demo pipeline's points are there; none older than 2 days.
      for (const [pipeline, count] of expected.signals) {
        expect(count).toBeGreaterThan(0);
        expect(
          await pointsBetween(first.get, pipeline, now - 30 * DAY, now + HOUR),
        ).toBe(count);
        expect(
          await pointsBetween(
            first.get,
            pipeline,
            now - 30 * DAY,
            now - 3 * DAY,
          ),
        ).toBe(0);
      }
      await first.backend.stop();

      // A restart on the same database replays again and adds nothing.
      const second = await startDemoBackend(knex, entities);
      await second.scheduler.triggerTask(DEMO_USAGE_TASK_ID);
      await second.scheduler.triggerTask(DEMO_SIGNALS_TASK_ID);
      expect(second.messages).toContain(
        `Replayed ${expected.usage} demo usage records (0 new)`,
      );
      for (const [pipeline, count] of expected.signals) {
        expect(second.messages).toContain(
          `Replayed ${count} demo signals for ${pipeline} (0 new)`,
        );
      }
      expect(
        await requestsBetween(second.get, now - 60 * DAY, now + HOUR),
      ).toBe(expected.usage);
      await second.backend.stop();
    });
  },
);
