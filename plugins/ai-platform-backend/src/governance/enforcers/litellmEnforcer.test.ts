import { ConfigReader } from '@backstage/config';
import { HaltEnforcementContext } from '@aiplatform/plugin-ai-platform-node';
import { pipeline } from '../../__testUtils__/catalogFixtures';
import {
  StandInKey,
  StandInTeam,
  startLiteLLMStandIn,
} from '../../__testUtils__/litellmStandIn';
import {
  createLiteLLMEnforcer,
  readLiteLLMEnforcerOptions,
} from './litellmEnforcer';

const MASTER_KEY = 'sk-master-5b1e';

const ctx: HaltEnforcementContext = {
  pipeline: pipeline('kb-answers', {
    type: 'rag',
    owner: 'group:default/ml',
    stages: [
      { name: 'serve', type: 'serving', entityRef: 'component:kb-api' },
      { name: 'embed', type: 'embedding', entityRef: 'component:kb-embed' },
    ],
  }),
  entityRefs: [
    'aipipeline:default/kb-answers',
    'component:default/kb-api',
    'component:default/kb-embed',
  ],
  stages: [],
  reason: 'accuracy below threshold',
  actor: 'user:default/alice',
  at: '2026-05-12T12:00:00.000Z',
};

/** What the scaffolder's gateway action creates for component:default/kb-api. */
const SCAFFOLDED_KEY: StandInKey = {
  token: 'hash-kb-api',
  key_alias: 'component:default/kb-api',
  team_id: 'team-kb-api',
  metadata: { tags: ['backstage:component:default/kb-api'] },
};
const SCAFFOLDED_TEAM: StandInTeam = {
  team_id: 'team-kb-api',
  team_alias: 'kb-api',
  metadata: { backstage_owner: 'group:default/ml' },
};
/** Named by a tag only. */
const TAGGED_KEY: StandInKey = {
  token: 'hash-embed',
  key_alias: 'embed-batch',
  metadata: { tags: ['backstage:component:default/kb-embed'] },
};
/** Named by the pipeline in its metadata. */
const PIPELINE_KEY: StandInKey = {
  token: 'hash-pipeline',
  key_alias: 'eval-runner',
  metadata: { backstage_entity: 'aipipeline:default/kb-answers' },
};
/** Blocked by someone before the halt. */
const BLOCKED_KEY: StandInKey = {
  token: 'hash-old',
  key_alias: 'component:default/kb-embed',
  blocked: true,
};
/** Other pipelines' keys and teams. */
const OTHER_KEY: StandInKey = {
  token: 'hash-other',
  key_alias: 'component:default/search-api',
  metadata: { tags: ['backstage:component:default/search-api'] },
};
const OTHER_TEAM: StandInTeam = {
  team_id: 'team-ml',
  team_alias: 'ml',
  metadata: { backstage_owner: 'group:default/ml' },
};

describe('LiteLLM halt enforcer against a LiteLLM stand-in', () => {
  let litellm: Awaited<ReturnType<typeof startLiteLLMStandIn>>;
  beforeEach(async () => {
    litellm = await startLiteLLMStandIn({
      masterKey: MASTER_KEY,
      keys: [SCAFFOLDED_KEY, TAGGED_KEY, PIPELINE_KEY, BLOCKED_KEY, OTHER_KEY],
      teams: [SCAFFOLDED_TEAM, OTHER_TEAM],
    });
  });
  afterEach(() => litellm.close());

  const enforcer = () =>
    createLiteLLMEnforcer({
      baseUrl: litellm.baseUrl,
      apiKey: MASTER_KEY,
      timeoutMs: 5_000,
    });

  it('blocks the keys and teams that name the pipeline or its stages (LiteLLM stand-in)', async () => {
    const results = await enforcer().halt(ctx);

    expect(results.map(({ undo, ...r }) => r)).toEqual([
      {
        enforcer: 'litellm',
        target: 'key:component:default/kb-api',
        status: 'applied',
        message: 'blocked',
      },
      {
        enforcer: 'litellm',
        target: 'key:embed-batch',
        status: 'applied',
        message: 'blocked',
      },
      {
        enforcer: 'litellm',
        target: 'key:eval-runner',
        status: 'applied',
        message: 'blocked',
      },
      {
        enforcer: 'litellm',
        target: 'key:component:default/kb-embed',
        status: 'applied',
        message: 'already blocked before the halt; stays blocked on resume',
      },
      {
        enforcer: 'litellm',
        target: 'team:kb-api',
        status: 'applied',
        message: 'blocked',
      },
    ]);
    expect(litellm.blocked().sort()).toEqual(
      [
        'hash-embed',
        'hash-kb-api',
        'hash-old',
        'hash-pipeline',
        'team-kb-api',
      ].sort(),
    );
    // Listed with the full objects, blocked through the documented bodies.
    expect(litellm.requests).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/key/list' }),
    );
    expect(litellm.requests).toContainEqual({
      method: 'POST',
      path: '/team/block',
      body: { team_id: 'team-kb-api' },
    });
    expect(litellm.requests).toContainEqual({
      method: 'POST',
      path: '/key/block',
      body: { key: 'hash-kb-api' },
    });
  });

  it('unblocks on resume exactly what the halt blocked (LiteLLM stand-in)', async () => {
    const halted = await enforcer().halt(ctx);
    const resumed = await enforcer().resume(ctx, halted);

    expect(resumed.map(r => [r.target, r.status, r.message])).toEqual([
      ['key:component:default/kb-api', 'applied', 'unblocked'],
      ['key:embed-batch', 'applied', 'unblocked'],
      ['key:eval-runner', 'applied', 'unblocked'],
      ['team:kb-api', 'applied', 'unblocked'],
    ]);
    // The key blocked before the halt stays blocked.
    expect(litellm.blocked()).toEqual(['hash-old']);
  });

  it('records a failed block, and a retry blocks it keeping what was done (LiteLLM stand-in)', async () => {
    litellm.failing.add('/team/block');
    const first = await enforcer().halt(ctx);
    expect(first.find(r => r.target === 'team:kb-api')).toMatchObject({
      status: 'failed',
      message: 'LiteLLM POST /team/block: 500 Internal Server Error',
    });
    expect(litellm.teams.get('team-kb-api')?.blocked).toBeFalsy();

    litellm.failing.delete('/team/block');
    const retried = await enforcer().halt({ ...ctx, previous: first });
    expect(retried.every(r => r.status === 'applied')).toBe(true);
    expect(litellm.teams.get('team-kb-api')?.blocked).toBe(true);

    // The keys blocked by the first attempt are still this halt's: resume
    // unblocks them, and still not the key blocked before.
    await enforcer().resume(ctx, retried);
    expect(litellm.blocked()).toEqual(['hash-old']);
  });

  it('throws, naming the call, when LiteLLM cannot list keys (LiteLLM stand-in)', async () => {
    litellm.failing.add('/key/list');
    await expect(enforcer().halt(ctx)).rejects.toThrow(
      'LiteLLM GET /key/list: 500 Internal Server Error',
    );
  });

  it('is refused without the admin key (LiteLLM stand-in)', async () => {
    const anonymous = createLiteLLMEnforcer({
      baseUrl: litellm.baseUrl,
      timeoutMs: 5_000,
    });
    await expect(anonymous.halt(ctx)).rejects.toThrow('401 Unauthorized');
    expect(litellm.blocked()).toEqual(['hash-old']);
  });

  it('reads every page of GET /key/list (LiteLLM stand-in)', async () => {
    await litellm.close();
    const many: StandInKey[] = Array.from({ length: 230 }, (_, i) => ({
      token: `hash-${i}`,
      key_alias: i === 229 ? 'component:default/kb-api' : `unrelated-${i}`,
    }));
    litellm = await startLiteLLMStandIn({
      masterKey: MASTER_KEY,
      keys: many,
      teams: [],
    });
    const results = await enforcer().halt(ctx);
    expect(results.map(r => r.target)).toEqual([
      'key:component:default/kb-api',
    ]);
    expect(litellm.requests.filter(r => r.path === '/key/list')).toHaveLength(
      3,
    );
  });
});

describe('readLiteLLMEnforcerOptions', () => {
  const read = (aiPlatform: unknown) =>
    readLiteLLMEnforcerOptions(new ConfigReader({ aiPlatform } as any));

  it('is off without its key', () => {
    expect(read({ litellm: { baseUrl: 'http://l:4000' } })).toBeUndefined();
  });

  it("reuses the collector's baseUrl and apiKey", () => {
    expect(
      read({
        litellm: { baseUrl: 'http://l:4000/', apiKey: 'sk-1' },
        governance: { enforcers: { litellm: {} } },
      }),
    ).toEqual({ baseUrl: 'http://l:4000', apiKey: 'sk-1', timeoutMs: 10_000 });
  });

  it('prefers its own baseUrl and apiKey', () => {
    expect(
      read({
        litellm: { baseUrl: 'http://l:4000', apiKey: 'sk-1' },
        governance: {
          enforcers: {
            litellm: { baseUrl: 'http://admin:4000', apiKey: 'sk-2' },
          },
        },
      }),
    ).toMatchObject({ baseUrl: 'http://admin:4000', apiKey: 'sk-2' });
  });

  it('reports a missing or bad baseUrl naming the key', () => {
    expect(() => read({ governance: { enforcers: { litellm: {} } } })).toThrow(
      'aiPlatform.governance.enforcers.litellm.baseUrl',
    );
    expect(() =>
      read({
        governance: { enforcers: { litellm: { baseUrl: 'not a url' } } },
      }),
    ).toThrow('aiPlatform.governance.enforcers.litellm.baseUrl');
  });
});
