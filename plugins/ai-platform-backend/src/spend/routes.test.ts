import { mockCredentials } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { aiPlatformSpendReadPermission } from '@aiplatform/plugin-ai-platform-common';
import { UsageRecordInput } from '@aiplatform/plugin-ai-platform-node';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  DAY,
  HOUR,
  iso,
  spendOrgFixture,
  usageInput,
} from '../__testUtils__/usageFixtures';

jest.setTimeout(180_000);

const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header('user:default/alice');
const at = (text: string) => Date.parse(text);
/** "Now" of ingestion's time window, after the fixtures' last record. */
const FIXTURE_NOW = at('2025-09-15T00:00:00Z');

/** The range of the known usage below. */
const FROM = '2025-06-01T00:00:00Z';
const TO = '2025-06-04T00:00:00Z';
const RANGE = `from=${FROM}&to=${TO}`;

/**
 * Known usage, 1–3 June 2025. Costs are the gateway's (exact in binary)
 * except p-1, priced from the table (gpt-4o-mini: $0.15 in, $0.60 out per
 * million tokens → $0.45), and s-1, a self-hosted model nobody can price.
 */
const KNOWN: UsageRecordInput[] = [
  usageInput('a-1', at('2025-06-01T10:00:00Z'), {
    entityRef: 'component:default/answers',
    costUsd: 10,
    inputTokens: 1000,
    outputTokens: 500,
  }),
  // The kind and namespace default: this is component:default/answers.
  usageInput('a-2', at('2025-06-02T10:00:00Z'), {
    entityRef: 'answers',
    costUsd: 2.5,
    inputTokens: 200,
    outputTokens: 100,
  }),
  usageInput('e-1', at('2025-06-01T11:00:00Z'), {
    entityRef: 'component:default/embedder',
    model: 'text-embedding-3-small',
    costUsd: 1.25,
    inputTokens: 5000,
    outputTokens: 0,
  }),
  usageInput('p-1', at('2025-06-02T12:00:00Z'), {
    entityRef: 'component:default/platform-gw',
    model: 'gpt-4o-mini',
    provider: 'openai',
    inputTokens: 1_000_000,
    outputTokens: 500_000,
  }),
  usageInput('s-1', at('2025-06-03T01:00:00Z'), {
    entityRef: 'component:default/storefront',
    model: 'llama-3-70b',
    provider: 'hosted_vllm',
    inputTokens: 300,
    outputTokens: 200,
  }),
  usageInput('c-1', at('2025-06-03T02:00:00Z'), {
    entityRef: 'component:default/crm-bot',
    model: 'claude-sonnet-4',
    provider: 'anthropic',
    costUsd: 4,
  }),
  // No entity, but the gateway team names a catalog Group.
  usageInput('t-1', at('2025-06-02T13:00:00Z'), {
    team: 'data-team',
    costUsd: 0.75,
  }),
  // Shadow AI.
  usageInput('u-1', at('2025-06-01T01:00:00Z'), {
    keyAlias: 'shadow-key',
    costUsd: 3,
  }),
  usageInput('u-2', at('2025-06-02T01:00:00Z'), {
    keyAlias: 'shadow-key',
    team: 'data-team-uuid',
    costUsd: 1,
  }),
  usageInput('u-3', at('2025-06-02T02:00:00Z'), {
    team: '7f1c2a9e-unknown-team',
    costUsd: 0.5,
  }),
  usageInput('u-4', at('2025-06-03T03:00:00Z'), {
    tags: ['user-agent:python-httpx', 'project:skunkworks'],
    costUsd: 0.25,
  }),
  usageInput('u-5', at('2025-06-03T04:00:00Z'), {
    entityRef: 'component:default/not-registered',
    costUsd: 0.125,
  }),
];

const UNATTRIBUTED = {
  costUsd: 4.875,
  requests: 5,
  items: [
    { key: 'shadow-key', keyType: 'key-alias', costUsd: 4, requests: 2 },
    {
      key: '7f1c2a9e-unknown-team',
      keyType: 'team',
      costUsd: 0.5,
      requests: 1,
    },
    { key: 'project:skunkworks', keyType: 'tag', costUsd: 0.25, requests: 1 },
    {
      key: 'component:default/not-registered',
      keyType: 'unknown',
      costUsd: 0.125,
      requests: 1,
    },
  ],
};
const NONE = { costUsd: 0, requests: 0, items: [] };

const TEAM_ITEMS = {
  mlTeam: {
    key: 'group:default/ml-team',
    costUsd: 12.5,
    inputTokens: 1200,
    outputTokens: 600,
    requests: 2,
  },
  sales: {
    key: 'group:default/sales',
    costUsd: 4,
    inputTokens: 100,
    outputTokens: 50,
    requests: 1,
  },
  dataTeam: {
    key: 'group:default/data-team',
    costUsd: 2,
    inputTokens: 5100,
    outputTokens: 50,
    requests: 2,
  },
  mlPlatform: {
    key: 'group:default/ml-platform',
    costUsd: 0.45,
    inputTokens: 1_000_000,
    outputTokens: 500_000,
    requests: 1,
  },
  webTeam: {
    key: 'group:default/web-team',
    costUsd: 0,
    inputTokens: 300,
    outputTokens: 200,
    requests: 1,
    unpricedRequests: 1,
  },
};

const ndjson = (records: unknown[]) =>
  records.map(r => JSON.stringify(r)).join('\n');

function postUsage(app: express.Express, records: unknown[]) {
  return request(app)
    .post('/usage')
    .set('Authorization', SERVICE)
    .send({ records });
}

/** Posts usage that must be accepted (for setting up, outside tests). */
async function ingest(
  app: express.Express,
  records: unknown[],
  as: 'json' | 'ndjson' = 'json',
) {
  const res =
    as === 'json'
      ? await postUsage(app, records)
      : await postNdjson(app, `${ndjson(records)}\n`);
  if (res.status !== 200 || res.body.inserted !== records.length) {
    throw new Error(
      `usage not ingested: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
}

function postNdjson(app: express.Express, body: string) {
  return request(app)
    .post('/usage')
    .set('Authorization', SERVICE)
    .set('Content-Type', 'application/x-ndjson')
    .send(body);
}

/** Cost and requests by key, for terser expectations. */
const costs = (
  items: Array<{ key: string; costUsd: number; requests: number }>,
) => items.map(i => [i.key, i.costUsd, i.requests]);

async function count(knex: Knex, table: string): Promise<number> {
  const [row] = await knex(table).count({ n: '*' });
  return Number(row.n);
}

/** A permissions service whose spend decision is `decision`. */
function permissionsDeciding(decision: PolicyDecision) {
  return {
    authorize: jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.DENY })),
    ),
    authorizeConditional: jest.fn(async (requests: unknown[]) =>
      requests.map(() => decision),
    ),
  } as unknown as PermissionsService & {
    authorizeConditional: jest.Mock;
  };
}

/** The decision a policy gives a member of `groupRef`: that group's subtree. */
function subtreeOf(groupRef: string): PolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'ai-platform',
    resourceType: 'ai-platform-team',
    conditions: {
      rule: 'IS_IN_SUBTREE_OF',
      resourceType: 'ai-platform-team',
      params: { groupRefs: [groupRef] },
    },
  };
}

describe('spend routes', () => {
  const databases = createTestDatabases();

  it('runs on SQLite in every environment', () => {
    expect(databases.eachSupportedId()).toContainEqual(['SQLITE_3']);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    async function setup(
      options: {
        entities?: Entity[];
        knex?: Knex;
        permissions?: PermissionsService;
      } = {},
    ) {
      const knex = options.knex ?? (await databases.init(databaseId));
      return createTestApp({
        entities: options.entities ?? spendOrgFixture(),
        knex,
        permissions: options.permissions,
        // The fixtures' usage runs from May to September 2025.
        now: FIXTURE_NOW,
        config: { aiPlatform: { usage: { rawRetentionDays: 400 } } },
      });
    }

    describe('with the known usage', () => {
      let app: express.Express;
      let knex: Knex;

      beforeAll(async () => {
        ({ app, knex } = await setup());
        // Half as JSON, half as NDJSON.
        await ingest(app, KNOWN.slice(0, 6), 'json');
        await ingest(app, KNOWN.slice(6), 'ndjson');
      });

      it('prices records from the gateway, the price table, or not at all', async () => {
        const rows = await knex('ai_usage_records')
          .whereIn('id', ['a-1', 'p-1', 's-1'])
          .orderBy('id')
          .select('id', 'cost_usd', 'cost_source', 'price_source');
        expect(
          rows.map(r => ({
            ...r,
            cost_usd: r.cost_usd === null ? null : Number(r.cost_usd),
          })),
        ).toEqual([
          {
            id: 'a-1',
            cost_usd: 10,
            cost_source: 'gateway',
            price_source: 'gateway',
          },
          {
            id: 'p-1',
            cost_usd: expect.closeTo(0.45, 9),
            cost_source: 'price-table',
            price_source: expect.stringMatching(
              /^genai-prices@[\d.]+:openai\/gpt-4o-mini$/,
            ),
          },
          {
            id: 's-1',
            cost_usd: null,
            cost_source: 'unpriced',
            price_source: null,
          },
        ]);
      });

      it('groups spend by team (the owning group)', async () => {
        const res = await request(app).get(`/spend?${RANGE}&groupBy=team`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          currency: 'USD',
          total: 23.825,
          items: [
            TEAM_ITEMS.mlTeam,
            TEAM_ITEMS.sales,
            TEAM_ITEMS.dataTeam,
            TEAM_ITEMS.mlPlatform,
            TEAM_ITEMS.webTeam,
          ],
          unattributed: UNATTRIBUTED,
          unpricedRequests: 1,
        });
        // groupBy defaults to team.
        const byDefault = await request(app).get(`/spend?${RANGE}`);
        expect(byDefault.body).toEqual(res.body);
      });

      it('groups spend by service', async () => {
        const res = await request(app).get(`/spend?${RANGE}&groupBy=service`);
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(23.825);
        expect(costs(res.body.items)).toEqual([
          ['component:default/answers', 12.5, 2],
          ['component:default/crm-bot', 4, 1],
          ['component:default/embedder', 1.25, 1],
          // Attributed to its team, but no service.
          ['(none)', 0.75, 1],
          ['component:default/platform-gw', 0.45, 1],
          ['component:default/storefront', 0, 1],
        ]);
        expect(res.body.unattributed).toEqual(UNATTRIBUTED);
      });

      it('groups spend by model', async () => {
        const res = await request(app).get(`/spend?${RANGE}&groupBy=model`);
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([
          {
            key: 'gpt-4o',
            costUsd: 13.25,
            inputTokens: 1300,
            outputTokens: 650,
            requests: 3,
          },
          {
            key: 'claude-sonnet-4',
            costUsd: 4,
            inputTokens: 100,
            outputTokens: 50,
            requests: 1,
          },
          {
            key: 'text-embedding-3-small',
            costUsd: 1.25,
            inputTokens: 5000,
            outputTokens: 0,
            requests: 1,
          },
          {
            key: 'gpt-4o-mini',
            costUsd: 0.45,
            inputTokens: 1_000_000,
            outputTokens: 500_000,
            requests: 1,
          },
          {
            key: 'llama-3-70b',
            costUsd: 0,
            inputTokens: 300,
            outputTokens: 200,
            requests: 1,
            unpricedRequests: 1,
          },
        ]);
      });

      it('groups spend by pipeline, through the stage entities', async () => {
        const res = await request(app).get(`/spend?${RANGE}&groupBy=pipeline`);
        expect(res.status).toBe(200);
        expect(costs(res.body.items)).toEqual([
          ['aipipeline:default/support-answers', 13.75, 3],
          ['(none)', 5.2, 3],
          ['aipipeline:default/web-assistant', 0, 1],
        ]);
        expect(res.body.total).toBe(23.825);
      });

      it('filters by team, with and without sub-teams', async () => {
        const own = await request(app).get(
          `/spend?${RANGE}&team=group:default/ml-platform`,
        );
        expect(own.status).toBe(200);
        expect(own.body).toEqual({
          currency: 'USD',
          total: 0.45,
          items: [TEAM_ITEMS.mlPlatform],
          unattributed: NONE,
        });

        const subtree = await request(app).get(
          `/spend?${RANGE}&team=group:default/ml-platform&includeSubteams=true`,
        );
        expect(subtree.body).toEqual({
          currency: 'USD',
          total: 14.95,
          items: [
            TEAM_ITEMS.mlTeam,
            TEAM_ITEMS.dataTeam,
            TEAM_ITEMS.mlPlatform,
          ],
          unattributed: NONE,
        });

        // Two levels down from the root; a bare name is a group in default.
        const root = await request(app).get(
          `/spend?${RANGE}&team=org&includeSubteams=true`,
        );
        expect(root.body).toEqual({
          currency: 'USD',
          total: 14.95,
          items: [
            TEAM_ITEMS.mlTeam,
            TEAM_ITEMS.dataTeam,
            TEAM_ITEMS.mlPlatform,
            TEAM_ITEMS.webTeam,
          ],
          unattributed: NONE,
          unpricedRequests: 1,
        });
        const rootOnly = await request(app).get(
          `/spend?${RANGE}&team=group:default/org&includeSubteams=false`,
        );
        expect(rootOnly.body).toEqual({
          currency: 'USD',
          total: 0,
          items: [],
          unattributed: NONE,
        });

        const leaf = await request(app).get(
          `/spend?${RANGE}&groupBy=service&team=group:default/data-team&includeSubteams=true`,
        );
        expect(costs(leaf.body.items)).toEqual([
          ['component:default/embedder', 1.25, 1],
          ['(none)', 0.75, 1],
        ]);
      });

      it('counts only the hours of the range', async () => {
        const res = await request(app).get(
          `/spend?from=2025-06-02T10:00:00Z&to=2025-06-02T13:00:00Z&groupBy=service`,
        );
        // a-2 (10:00), p-1 (12:00); not t-1 (13:00).
        expect(costs(res.body.items)).toEqual([
          ['component:default/answers', 2.5, 1],
          ['component:default/platform-gw', 0.45, 1],
        ]);
        expect(res.body.total).toBe(2.95);
      });

      it('serves spend per day', async () => {
        const res = await request(app).get(
          `/spend/daily?${RANGE}&groupBy=team`,
        );
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          currency: 'USD',
          groupBy: 'team',
          items: [
            {
              day: '2025-06-01',
              key: 'group:default/ml-team',
              costUsd: 10,
              requests: 1,
            },
            {
              day: '2025-06-01',
              key: 'group:default/data-team',
              costUsd: 1.25,
              requests: 1,
            },
            {
              day: '2025-06-02',
              key: 'group:default/ml-team',
              costUsd: 2.5,
              requests: 1,
            },
            {
              day: '2025-06-02',
              key: 'group:default/data-team',
              costUsd: 0.75,
              requests: 1,
            },
            {
              day: '2025-06-02',
              key: 'group:default/ml-platform',
              costUsd: 0.45,
              requests: 1,
            },
            {
              day: '2025-06-03',
              key: 'group:default/sales',
              costUsd: 4,
              requests: 1,
            },
            {
              day: '2025-06-03',
              key: 'group:default/web-team',
              costUsd: 0,
              requests: 1,
            },
          ],
        });
        const team = await request(app).get(
          `/spend/daily?${RANGE}&groupBy=model&team=group:default/ml-platform&includeSubteams=true`,
        );
        expect(
          team.body.items.map((i: any) => [i.day, i.key, i.costUsd]),
        ).toEqual([
          ['2025-06-01', 'gpt-4o', 10],
          ['2025-06-01', 'text-embedding-3-small', 1.25],
          ['2025-06-02', 'gpt-4o', 3.25],
          ['2025-06-02', 'gpt-4o-mini', 0.45],
        ]);
      });

      it('lists the models nobody could price', async () => {
        const res = await request(app).get(`/spend/unpriced?${RANGE}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          items: [
            { model: 'llama-3-70b', provider: 'hosted_vllm', requests: 1 },
          ],
        });
        const before = await request(app).get(
          '/spend/unpriced?from=2025-05-01T00:00:00Z&to=2025-06-01T00:00:00Z',
        );
        expect(before.body).toEqual({ items: [] });
      });

      it('does not count a replay twice', async () => {
        const before = await request(app).get(`/spend?${RANGE}`);
        const rollups = await count(knex, 'ai_usage_rollups');

        const json = await postUsage(app, KNOWN);
        expect(json.body).toEqual({ received: 12, inserted: 0 });
        const text = await postNdjson(app, ndjson(KNOWN));
        expect(text.body).toEqual({ received: 12, inserted: 0 });

        expect((await request(app).get(`/spend?${RANGE}`)).body).toEqual(
          before.body,
        );
        expect(await count(knex, 'ai_usage_records')).toBe(12);
        expect(await count(knex, 'ai_usage_rollups')).toBe(rollups);
      });

      it('moves spend with a service whose owner changes in the catalog', async () => {
        const moved = await setup({
          knex,
          entities: spendOrgFixture({ answersOwner: 'group:default/web-team' }),
        });
        const res = await request(moved.app).get(`/spend?${RANGE}`);
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(23.825);
        expect(costs(res.body.items)).toEqual([
          ['group:default/web-team', 12.5, 3],
          ['group:default/sales', 4, 1],
          ['group:default/data-team', 2, 2],
          ['group:default/ml-platform', 0.45, 1],
        ]);
        const mlPlatform = await request(moved.app).get(
          `/spend?${RANGE}&team=group:default/ml-platform&includeSubteams=true`,
        );
        expect(mlPlatform.body.total).toBe(2.45);
        // Still a stage of the same pipeline.
        const pipelines = await request(moved.app).get(
          `/spend?${RANGE}&groupBy=pipeline`,
        );
        expect(costs(pipelines.body.items)[0]).toEqual([
          'aipipeline:default/support-answers',
          13.75,
          3,
        ]);
        // The first app, over the old catalog, still sees it the old way.
        const old = await request(app).get(`/spend?${RANGE}`);
        expect(costs(old.body.items)[0]).toEqual([
          'group:default/ml-team',
          12.5,
          2,
        ]);
      });

      it('refuses bad query parameters with a 400 naming them', async () => {
        const cases: Array<[string, RegExp]> = [
          [`/spend?${RANGE}&groupBy=foo`, /groupBy/],
          [`/spend?${RANGE}&groupBy=team&groupBy=model`, /groupBy/],
          [`/spend?${RANGE}&team=component:default/x`, /team/],
          [`/spend?${RANGE}&team=user:default/alice`, /team/],
          [`/spend?${RANGE}&team=group:`, /team/],
          [`/spend?${RANGE}&includeSubteams=maybe`, /includeSubteams/],
          [`/spend?from=${TO}&to=${FROM}`, /from/],
          [`/spend?from=${FROM}&to=${FROM}`, /from/],
          [`/spend?from=yesterday&to=${TO}`, /from/],
          [`/spend?from=${FROM}&to=soon`, /\bto\b/],
          [`/spend?from=2020-01-01T00:00:00Z&to=${TO}`, /from/],
          [`/spend/daily?${RANGE}&groupBy=foo`, /groupBy/],
          [`/spend/daily?${RANGE}&includeSubteams=1`, /includeSubteams/],
          [`/spend/unpriced?from=${TO}&to=${FROM}`, /from/],
          ['/spend/budget', /entityRef/],
          ['/spend/budget?entityRef=group:', /entityRef/],
        ];
        for (const [url, name] of cases) {
          const res = await request(app).get(url);
          expect({ url, status: res.status }).toEqual({ url, status: 400 });
          expect(res.body.error.message).toMatch(name);
        }
      });

      it('answers 404 for a team the catalog does not know', async () => {
        for (const url of [
          `/spend?${RANGE}&team=group:default/nope`,
          `/spend/daily?${RANGE}&team=group:default/nope`,
        ]) {
          const res = await request(app).get(url);
          expect(res.status).toBe(404);
          expect(res.body.error.message).toMatch('group:default/nope');
        }
      });
    });

    describe('permissions', () => {
      let knex: Knex;

      beforeAll(async () => {
        const { app, knex: k } = await setup();
        knex = k;
        await ingest(app, KNOWN);
      });

      it('refuses spend to a caller the policy denies', async () => {
        const permissions = permissionsDeciding({
          result: AuthorizeResult.DENY,
        });
        const { app } = await setup({ knex, permissions });
        for (const url of [
          `/spend?${RANGE}`,
          `/spend/daily?${RANGE}`,
          `/spend/unpriced?${RANGE}`,
          '/spend/budget?entityRef=group:default/ml-platform',
        ]) {
          const res = await request(app).get(url).set('Authorization', USER);
          expect({ url, status: res.status }).toEqual({ url, status: 403 });
          expect(res.body.error.message).toMatch(
            aiPlatformSpendReadPermission.name,
          );
        }
        expect(permissions.authorizeConditional).toHaveBeenCalledWith(
          [{ permission: aiPlatformSpendReadPermission }],
          { credentials: mockCredentials.user('user:default/alice') },
        );
      });

      it('shows a member of a mid-level group only its subtree, without unattributed usage', async () => {
        const { app } = await setup({
          knex,
          permissions: permissionsDeciding(
            subtreeOf('group:default/ml-platform'),
          ),
        });
        const res = await request(app)
          .get(`/spend?${RANGE}`)
          .set(
            'Authorization',
            mockCredentials.user.header('user:default/bob'),
          );
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          currency: 'USD',
          total: 14.95,
          items: [
            TEAM_ITEMS.mlTeam,
            TEAM_ITEMS.dataTeam,
            TEAM_ITEMS.mlPlatform,
          ],
          unattributed: NONE,
        });

        const byModel = await request(app).get(`/spend?${RANGE}&groupBy=model`);
        expect(costs(byModel.body.items)).toEqual([
          ['gpt-4o', 13.25, 3],
          ['text-embedding-3-small', 1.25, 1],
          ['gpt-4o-mini', 0.45, 1],
        ]);

        // A team outside the subtree shows nothing.
        const sales = await request(app).get(
          `/spend?${RANGE}&team=group:default/sales&includeSubteams=true`,
        );
        expect(sales.status).toBe(200);
        expect(sales.body.total).toBe(0);
        expect(sales.body.items).toEqual([]);

        const daily = await request(app).get(`/spend/daily?${RANGE}`);
        expect(
          [...new Set(daily.body.items.map((i: any) => i.key))].sort(),
        ).toEqual([
          'group:default/data-team',
          'group:default/ml-platform',
          'group:default/ml-team',
        ]);
      });

      it('shows unpriced models only from the teams the caller may read', async () => {
        // s-1, the one unpriced record, is storefront's (web-team, under org).
        const mid = await setup({
          knex,
          permissions: permissionsDeciding(
            subtreeOf('group:default/ml-platform'),
          ),
        });
        const hidden = await request(mid.app).get(`/spend/unpriced?${RANGE}`);
        expect(hidden.status).toBe(200);
        expect(hidden.body.items).toEqual([]);

        const root = await setup({
          knex,
          permissions: permissionsDeciding(subtreeOf('group:default/org')),
        });
        const shown = await request(root.app).get(`/spend/unpriced?${RANGE}`);
        expect(shown.body.items).toEqual([
          { model: 'llama-3-70b', provider: 'hosted_vllm', requests: 1 },
        ]);
      });

      it('refuses the budget of a team or pipeline outside the caller subtree with 403', async () => {
        const { app } = await setup({
          knex,
          permissions: permissionsDeciding(subtreeOf('group:default/ml-team')),
        });
        for (const entityRef of [
          'group:default/ml-platform',
          'aipipeline:default/web-assistant',
        ]) {
          const res = await request(app).get(
            `/spend/budget?entityRef=${entityRef}`,
          );
          expect({ entityRef, status: res.status }).toEqual({
            entityRef,
            status: 403,
          });
          expect(res.body.error.message).toContain(
            aiPlatformSpendReadPermission.name,
          );
        }
        // Its own pipeline (owned by ml-team) it may read.
        const own = await request(app).get(
          '/spend/budget?entityRef=aipipeline:default/support-answers',
        );
        expect(own.status).toBe(200);
        expect(own.body.budget.budgetUsd).toBe(100);
      });

      it('lists budget events in the audit log only for teams whose spend the caller may read', async () => {
        const { app, governanceStore } = await setup({
          knex,
          permissions: permissionsDeciding(subtreeOf('group:default/ml-team')),
        });
        for (const entityRef of [
          'group:default/ml-platform',
          'aipipeline:default/web-assistant',
          'aipipeline:default/support-answers',
          'group:default/ml-team',
        ]) {
          await governanceStore.addAuditEvent({
            type: 'budget.exceeded',
            entityRef,
            actor: 'ai-platform',
            message: `${entityRef} spent $1,000`,
          });
        }
        const res = await request(app).get('/audit');
        expect(res.status).toBe(200);
        expect(res.body.items.map((e: any) => e.entityRef).sort()).toEqual([
          'aipipeline:default/support-answers',
          'group:default/ml-team',
        ]);
        const limited = await request(app).get('/audit?limit=1');
        expect(limited.body.items).toHaveLength(1);
        expect(limited.body.items[0].entityRef).toBe('group:default/ml-team');
      });

      it('shows a member of a root group its subtree and unattributed usage', async () => {
        const { app } = await setup({
          knex,
          permissions: permissionsDeciding(subtreeOf('group:default/org')),
        });
        const res = await request(app).get(`/spend?${RANGE}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          currency: 'USD',
          total: 19.825,
          items: [
            TEAM_ITEMS.mlTeam,
            TEAM_ITEMS.dataTeam,
            TEAM_ITEMS.mlPlatform,
            TEAM_ITEMS.webTeam,
          ],
          unattributed: UNATTRIBUTED,
          unpricedRequests: 1,
        });
      });
    });

    describe('POST /usage', () => {
      it('takes NDJSON with blank lines, CRLF and a charset', async () => {
        const { app, knex } = await setup();
        const body = `\r\n${ndjson(KNOWN.slice(0, 2))}\r\n\r\n${ndjson(
          KNOWN.slice(2, 4),
        )}\n`;
        const res = await request(app)
          .post('/usage')
          .set('Authorization', SERVICE)
          .set('Content-Type', 'application/x-ndjson; charset=utf-8')
          .send(body);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ received: 4, inserted: 4 });
        expect(await count(knex, 'ai_usage_records')).toBe(4);
      });

      it('ingests 50,000 records of NDJSON in one request, once', async () => {
        const { app, knex } = await setup();
        const start = at('2025-08-01T00:00:00Z');
        const lines: string[] = [];
        for (let i = 0; i < 50_000; i++) {
          lines.push(
            JSON.stringify(
              usageInput(`bulk-${i}`, start + (i % (72 * 60)) * 60_000, {
                entityRef: 'component:default/answers',
                model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
                costUsd: 0.0625,
                inputTokens: 10,
                outputTokens: 1 + (i % 3),
              }),
            ),
          );
        }
        const body = lines.join('\n');
        const range = `from=${iso(start)}&to=${iso(start + 3 * DAY)}`;

        const res = await postNdjson(app, body);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ received: 50_000, inserted: 50_000 });

        const spend = await request(app).get(`/spend?${range}&groupBy=service`);
        expect(spend.body).toEqual({
          currency: 'USD',
          total: 3125,
          items: [
            {
              key: 'component:default/answers',
              costUsd: 3125,
              inputTokens: 500_000,
              // 1, 2, 3, ... repeating: 16,667 ones, 16,667 twos, 16,666 threes.
              outputTokens: 16_667 + 2 * 16_667 + 3 * 16_666,
              requests: 50_000,
            },
          ],
          unattributed: NONE,
        });

        const replay = await postNdjson(app, body);
        expect(replay.body).toEqual({ received: 50_000, inserted: 0 });
        expect(
          (await request(app).get(`/spend?${range}&groupBy=service`)).body,
        ).toEqual(spend.body);
        expect(await count(knex, 'ai_usage_records')).toBe(50_000);
      });

      describe('refuses an invalid batch with a 400 naming the field, writing nothing', () => {
        let app: express.Express;
        let knex: Knex;

        beforeAll(async () => {
          ({ app, knex } = await setup());
        });

        async function expectNothingWritten() {
          expect(await count(knex, 'ai_usage_records')).toBe(0);
          expect(await count(knex, 'ai_usage_rollups')).toBe(0);
        }

        const good = usageInput('good', at('2025-06-01T00:00:00Z'), {
          costUsd: 1,
        });
        const without = (field: string) => {
          const { [field as keyof UsageRecordInput]: _omitted, ...rest } = {
            ...good,
            id: 'bad',
          };
          return rest;
        };

        it.each([
          ['a missing id', [good, without('id')], 'records[1].id'],
          [
            'negative tokens',
            [{ ...good, id: 'neg', inputTokens: -5 }, good],
            'records[0].inputTokens',
          ],
          [
            'fractional tokens',
            [{ ...good, id: 'frac', outputTokens: 1.5 }],
            'records[0].outputTokens',
          ],
          [
            'a bad timestamp',
            [good, { ...good, id: 'ts', timestamp: 'yesterday' }],
            'records[1].timestamp',
          ],
          [
            'epoch seconds for milliseconds',
            [{ ...good, id: 'sec', timestamp: 1_717_200_000 }],
            'records[0].timestamp',
          ],
          [
            'a missing model',
            [good, good, without('model')],
            'records[2].model',
          ],
          [
            'a negative cost',
            [{ ...good, id: 'cost', costUsd: -1 }],
            'records[0].costUsd',
          ],
          [
            'a malformed entity ref',
            [{ ...good, id: 'ref', entityRef: 'component:default/' }],
            'records[0].entityRef',
          ],
          ['a record that is not an object', [good, 'nope'], 'records[1]'],
        ])('%s', async (_, records, field) => {
          const res = await postUsage(app, records);
          expect(res.status).toBe(400);
          expect(res.body.error.name).toBe('InputError');
          expect(res.body.error.message).toContain(`${field}:`);
          expect(res.body.error.message).toMatch(/nothing was written/);
          await expectNothingWritten();
        });

        it.each([
          ['inputTokens', 'records[0].inputTokens'],
          ['costUsd', 'records[0].costUsd'],
          ['durationMs', 'records[0].durationMs'],
        ])('a non-finite %s (1e999 in the raw body)', async (field, name) => {
          const raw = `{"records":[${JSON.stringify({
            ...good,
            [field]: 7,
          }).replace(`"${field}":7`, `"${field}":1e999`)}]}`;
          expect(raw).toContain('1e999');
          const res = await request(app)
            .post('/usage')
            .set('Authorization', SERVICE)
            .set('Content-Type', 'application/json')
            .send(raw);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain(`${name}:`);
          await expectNothingWritten();
        });

        it('a line of NDJSON that is not JSON, by its line and index', async () => {
          const body = `${JSON.stringify(
            good,
          )}\n\n{"id": "x",\n${JSON.stringify({ ...good, id: 'after' })}`;
          const res = await postNdjson(app, body);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain(
            'records[1]: line 3 is not valid JSON',
          );
          await expectNothingWritten();
        });

        it('an invalid record in NDJSON, by its index', async () => {
          const body = ndjson([
            good,
            { ...good, id: 'two' },
            { ...good, id: 'three', outputTokens: -1 },
          ]);
          const res = await postNdjson(app, body);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain('records[2].outputTokens:');
          await expectNothingWritten();
        });

        it.each([
          ['an empty JSON batch', { records: [] }, /at least one record/],
          ['a body without records', { items: [good] }, /records/],
          ['a bare array', [good], /records/],
        ])('%s', async (_, body, message) => {
          const res = await request(app)
            .post('/usage')
            .set('Authorization', SERVICE)
            .send(body);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(message);
          await expectNothingWritten();
        });

        it.each([
          ['empty', ''],
          ['blank lines only', '\n  \n\r\n'],
        ])('an NDJSON body that is %s', async (_, body) => {
          const res = await postNdjson(app, body);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(/record/);
          await expectNothingWritten();
        });

        it('names many problems, up to ten', async () => {
          const records = Array.from({ length: 15 }, (_, i) => ({
            ...good,
            id: `n-${i}`,
            inputTokens: -1,
          }));
          const res = await postUsage(app, records);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain('records[9].inputTokens');
          expect(res.body.error.message).not.toContain('records[10]');
          expect(res.body.error.message).toContain('and 5 more');
          await expectNothingWritten();
        });
      });

      it.each<[string, Record<string, unknown>, string]>([
        ['status', { status: 's'.repeat(33) }, 'at most 32 characters'],
        ['provider', { provider: 'p'.repeat(129) }, 'at most 128 characters'],
        ['model', { model: 'm'.repeat(256) }, 'at most 255 characters'],
        ['keyAlias', { keyAlias: 'k'.repeat(256) }, 'at most 255 characters'],
        ['tags[0]', { tags: ['t'.repeat(256)] }, 'at most 255 characters'],
        ['team', { team: 'é'.repeat(256) }, 'at most 255 characters'],
        ['durationMs', { durationMs: 3e9 }, 'at most 2147483647'],
        [
          'tags',
          {
            entityRef: 'component:default/answers',
            tags: Array.from(
              { length: 30 },
              (_, i) => `backstage:component:default/${'n'.repeat(40)}-${i}`,
            ),
          },
          'more than 1024 characters',
        ],
      ])(
        'refuses text longer than its column (%s), never cuts it, alike on every database',
        async (field, patch, message) => {
          const { app, knex } = await setup();
          const ts = at('2025-09-01T10:00:00Z');
          const records = [
            usageInput('fits', ts, { costUsd: 1 }),
            usageInput('too-long', ts, { costUsd: 1, ...patch }),
          ];
          const res = await postUsage(app, records);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain(`records[1].${field}: `);
          expect(res.body.error.message).toContain(message);
          const [{ n }] = await knex('ai_usage_records').count({ n: '*' });
          expect(Number(n)).toBe(0);
          const [{ r }] = await knex('ai_usage_rollups').count({ r: '*' });
          expect(Number(r)).toBe(0);
          // Text that fits to the character is stored whole.
          const fits = await postUsage(app, [
            usageInput('fits-whole', ts, { costUsd: 1, team: 'é'.repeat(255) }),
          ]);
          expect(fits.body).toEqual({ received: 1, inserted: 1 });
          const row = await knex('ai_usage_records')
            .where({ id: 'fits-whole' })
            .first();
          expect(row.team).toBe('é'.repeat(255));
        },
      );

      it('refuses an id longer than its column with a 400 naming it, writing nothing', async () => {
        const { app, knex } = await setup();
        const ts = at('2025-09-01T10:00:00Z');
        const res = await postUsage(app, [
          usageInput('fine', ts, { costUsd: 1 }),
          usageInput('i'.repeat(256), ts, { costUsd: 1 }),
        ]);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('records[1].id:');
        expect(await count(knex, 'ai_usage_records')).toBe(0);
        expect(await count(knex, 'ai_usage_rollups')).toBe(0);
        // 255 characters fit.
        const fits = await postUsage(app, [
          usageInput('i'.repeat(255), ts, { costUsd: 1 }),
        ]);
        expect(fits.body).toEqual({ received: 1, inserted: 1 });
      });

      it('takes usage from service credentials only', async () => {
        const { app, knex } = await setup();
        for (const [path, body] of [
          ['/usage', { records: KNOWN }],
          ['/usage/litellm', []],
        ] as const) {
          // The mock's default caller is a user.
          const anonymous = await request(app).post(path).send(body);
          expect(anonymous.status).toBe(403);
          const user = await request(app)
            .post(path)
            .set('Authorization', USER)
            .send(body);
          expect(user.status).toBe(403);
        }
        const ndjsonUser = await request(app)
          .post('/usage')
          .set('Authorization', USER)
          .set('Content-Type', 'application/x-ndjson')
          .send(ndjson(KNOWN));
        expect(ndjsonUser.status).toBe(403);
        expect(await count(knex, 'ai_usage_records')).toBe(0);
      });
    });

    describe('POST /usage/litellm', () => {
      const JULY = 'from=2025-07-01T00:00:00Z&to=2025-07-02T00:00:00Z';

      const tagged = {
        request_id: 'll-1',
        call_type: 'acompletion',
        startTime: '2025-07-01 10:00:00',
        endTime: '2025-07-01 10:00:02.5',
        model: 'gpt-4o-2024-08-06',
        model_group: 'gpt-4o',
        custom_llm_provider: 'openai',
        prompt_tokens: 100,
        completion_tokens: 50,
        total_tokens: 150,
        spend: 1.5,
        request_tags: ['backstage:component:default/answers'],
        // The tag wins over a key alias that is an entity ref.
        metadata: { user_api_key_alias: 'component:default/embedder' },
        status: 'success',
      };
      const aliased = {
        request_id: 'll-2',
        startTime: '2025-07-01T11:00:00Z',
        model: 'gpt-4o-mini',
        prompt_tokens: 10,
        completion_tokens: 5,
        spend: 0.5,
        request_tags: '[]',
        metadata: JSON.stringify({
          user_api_key_alias: 'component:default/embedder',
          user_api_key_team_id: 'team-uuid',
        }),
      };
      const shadow = {
        request_id: 'll-3',
        startTime: '2025-07-01T12:00:00Z',
        model: 'gpt-4o',
        prompt_tokens: 10,
        completion_tokens: 5,
        spend: 0.25,
        metadata: { user_api_key_alias: 'prod-key' },
      };

      it('attributes a bare array and a v2 page by request tag and key alias', async () => {
        const { app, knex } = await setup();
        const array = await request(app)
          .post('/usage/litellm')
          .set('Authorization', SERVICE)
          .send([tagged]);
        expect(array.status).toBe(200);
        expect(array.body).toEqual({ received: 1, inserted: 1 });
        const page = await request(app)
          .post('/usage/litellm')
          .set('Authorization', SERVICE)
          .send({
            data: [aliased, shadow],
            total: 2,
            page: 1,
            page_size: 100,
            total_pages: 1,
          });
        expect(page.status).toBe(200);
        expect(page.body).toEqual({ received: 2, inserted: 2 });

        const res = await request(app).get(`/spend?${JULY}&groupBy=service`);
        expect(res.body).toEqual({
          currency: 'USD',
          total: 2.25,
          items: [
            {
              key: 'component:default/answers',
              costUsd: 1.5,
              inputTokens: 100,
              outputTokens: 50,
              requests: 1,
            },
            {
              key: 'component:default/embedder',
              costUsd: 0.5,
              inputTokens: 10,
              outputTokens: 5,
              requests: 1,
            },
          ],
          unattributed: {
            costUsd: 0.25,
            requests: 1,
            items: [
              {
                key: 'prod-key',
                keyType: 'key-alias',
                costUsd: 0.25,
                requests: 1,
              },
            ],
          },
        });
        const stored = await knex('ai_usage_records')
          .where({ id: 'll-1' })
          .first();
        expect(stored).toEqual(
          expect.objectContaining({
            model: 'gpt-4o',
            provider: 'openai',
            duration_ms: 2500,
            status: 'success',
            cost_source: 'gateway',
          }),
        );
        expect(Number(stored.ts)).toBe(at('2025-07-01T10:00:00Z'));

        // A replayed page counts nothing.
        const replay = await request(app)
          .post('/usage/litellm')
          .set('Authorization', SERVICE)
          .send({ data: [tagged, aliased, shadow] });
        expect(replay.body).toEqual({ received: 3, inserted: 0 });
        expect(
          (await request(app).get(`/spend?${JULY}&groupBy=service`)).body.total,
        ).toBe(2.25);
      });

      it('refuses bad rows with a 400 naming the LiteLLM column, writing nothing', async () => {
        const { app, knex } = await setup();
        const { request_id: _id, ...noId } = tagged;
        const cases: Array<[unknown, string]> = [
          [[tagged, noId], '[1].request_id'],
          [
            { data: [aliased, { ...shadow, prompt_tokens: -3 }] },
            'data[1].prompt_tokens',
          ],
          [
            { data: [{ ...shadow, startTime: 'not a time' }] },
            'data[0].startTime',
          ],
          [{ rows: [tagged] }, '(body)'],
        ];
        for (const [body, field] of cases) {
          const res = await request(app)
            .post('/usage/litellm')
            .set('Authorization', SERVICE)
            .send(body as object);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toContain(`${field}:`);
        }
        const empty = await request(app)
          .post('/usage/litellm')
          .set('Authorization', SERVICE)
          .send({ data: [] });
        expect(empty.status).toBe(400);
        expect(await count(knex, 'ai_usage_records')).toBe(0);
      });
    });

    describe('GET /spend/budget', () => {
      // "Now" is 10 June 2025, 12:00 UTC (Date.now shifted, still running).
      const NOW = at('2025-06-10T12:00:00Z');
      const REMAINING_DAYS = (at('2025-07-01T00:00:00Z') - NOW) / DAY; // 20.5
      let app: express.Express;

      beforeAll(async () => {
        ({ app } = await setup());
        const records: UsageRecordInput[] = [];
        // support-answers (answers, owned by ml-team): $10 a day on the 7
        // complete days before today, $5 so far today.
        for (let d = 3; d <= 9; d++) {
          records.push(
            usageInput(`b-a-${d}`, Date.UTC(2025, 5, d, 12), {
              entityRef: 'component:default/answers',
              costUsd: 10,
            }),
          );
        }
        records.push(
          usageInput('b-a-today', NOW - 11 * HOUR, {
            entityRef: 'component:default/answers',
            costUsd: 5,
          }),
          // Last month: neither month to date nor in the run-rate window.
          usageInput('b-a-may', at('2025-05-31T12:00:00Z'), {
            entityRef: 'component:default/answers',
            costUsd: 1000,
          }),
          // ml-platform's own service: $20 on 5 June.
          usageInput('b-p-5', Date.UTC(2025, 5, 5, 8), {
            entityRef: 'component:default/platform-gw',
            costUsd: 20,
          }),
          // web-team, no budget: $7 on 4 June.
          usageInput('b-s-4', Date.UTC(2025, 5, 4, 8), {
            entityRef: 'component:default/storefront',
            costUsd: 7,
          }),
          // sales, outside ml-platform.
          usageInput('b-c-4', Date.UTC(2025, 5, 4, 9), {
            entityRef: 'component:default/crm-bot',
            costUsd: 50,
          }),
        );
        await ingest(app, records);
      });

      beforeEach(() => {
        const realNow = Date.now.bind(Date);
        const offset = NOW - realNow();
        jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
      });

      afterEach(() => {
        jest.restoreAllMocks();
      });

      it('reports a group budget with its sub-teams', async () => {
        const res = await request(app).get(
          '/spend/budget?entityRef=group:default/ml-platform',
        );
        expect(res.status).toBe(200);
        // ml-team's $75 and ml-platform's own $20; a run rate of $90 / 7 days.
        const forecast = 95 + (90 / 7) * REMAINING_DAYS;
        expect(res.body).toEqual({
          entityRef: 'group:default/ml-platform',
          budget: {
            month: '2025-06',
            budgetUsd: 500,
            monthToDateUsd: 95,
            forecastUsd: expect.closeTo(forecast, 1),
            status: 'ok',
          },
          monthToDateUsd: 95,
          forecastUsd: expect.closeTo(forecast, 1),
        });
      });

      it('reports a pipeline budget from the spend of its stages', async () => {
        const res = await request(app).get(
          '/spend/budget?entityRef=aipipeline:default/support-answers',
        );
        expect(res.status).toBe(200);
        const forecast = 75 + 10 * REMAINING_DAYS; // 280
        expect(res.body).toEqual({
          entityRef: 'aipipeline:default/support-answers',
          budget: {
            month: '2025-06',
            budgetUsd: 100,
            monthToDateUsd: 75,
            forecastUsd: expect.closeTo(forecast, 1),
            status: 'forecast-over',
          },
          monthToDateUsd: 75,
          forecastUsd: expect.closeTo(forecast, 1),
        });
      });

      it('reports budget null, with the spend, when there is no budget', async () => {
        const team = await request(app).get(
          '/spend/budget?entityRef=group:default/web-team',
        );
        expect(team.status).toBe(200);
        expect(team.body).toEqual({
          entityRef: 'group:default/web-team',
          budget: null,
          monthToDateUsd: 7,
          // Its usage started on 4 June: a run rate over 6 days, not 7.
          forecastUsd: expect.closeTo(7 + (7 / 6) * REMAINING_DAYS, 1),
        });
        const pipeline = await request(app).get(
          '/spend/budget?entityRef=aipipeline:default/web-assistant',
        );
        expect(pipeline.body).toEqual({
          entityRef: 'aipipeline:default/web-assistant',
          budget: null,
          monthToDateUsd: 7,
          forecastUsd: expect.closeTo(7 + (7 / 6) * REMAINING_DAYS, 1),
        });
        // The root: every team below it, not sales.
        const org = await request(app).get(
          '/spend/budget?entityRef=group:default/org',
        );
        expect(org.body).toEqual(
          expect.objectContaining({ budget: null, monthToDateUsd: 102 }),
        );
      });

      it('answers 404 for an entity that is not a Group or an AIPipeline', async () => {
        for (const ref of [
          'group:default/nope',
          'aipipeline:default/nope',
          'component:default/answers',
        ]) {
          const res = await request(app).get(`/spend/budget?entityRef=${ref}`);
          expect({ ref, status: res.status }).toEqual({ ref, status: 404 });
        }
      });
    });
  });
});
