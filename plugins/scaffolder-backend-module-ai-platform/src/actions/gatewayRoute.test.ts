import { ConfigReader } from '@backstage/config';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createGatewayRouteAction } from './gatewayRoute';
import {
  createContext,
  createTempWorkspace,
  SECRET_PATTERNS,
} from '../__testUtils__/workspace';

function makeConfig(kind: 'envoy' | 'litellm') {
  return new ConfigReader({
    aiPlatform: {
      gateway: {
        kind,
        baseUrl: 'https://ai-gateway.example.com/v1/',
        allowedModels: {
          default: ['gpt-4o-mini'],
          groups: { 'group:default/ml-team': ['llama-3-8b'] },
        },
      },
    },
  });
}

const input = {
  name: 'support-bot',
  owner: 'group:default/ml-team',
  models: ['gpt-4o-mini', 'llama-3-8b'],
  tokensPerMinute: 100000,
  requestsPerMinute: 600,
  monthlyBudgetUsd: 500,
};

describe('ai-platform:gateway:route', () => {
  let ws: Awaited<ReturnType<typeof createTempWorkspace>>;

  beforeEach(async () => {
    ws = await createTempWorkspace();
  });
  afterEach(async () => {
    await ws.cleanup();
  });

  async function read(file: string) {
    return fs.readFile(path.join(ws.workspacePath, 'k8s', file), 'utf8');
  }

  function expectNoSecrets(text: string) {
    for (const pattern of SECRET_PATTERNS) {
      expect(text).not.toMatch(pattern);
    }
  }

  it('has an id, dry-run support and examples', () => {
    const action = createGatewayRouteAction({ config: makeConfig('envoy') });
    expect(action.id).toBe('ai-platform:gateway:route');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.length).toBeGreaterThan(0);
  });

  it('writes Envoy AI Gateway manifests', async () => {
    const action = createGatewayRouteAction({ config: makeConfig('envoy') });
    const { ctx, outputs } = createContext(input, ws.workspacePath);
    await action.handler(ctx);

    expect(await ws.listFiles()).toEqual([
      path.join('workspace', 'k8s', 'ai-gateway.yaml'),
      path.join('workspace', 'k8s', 'gateway.env'),
    ]);
    const text = await read('ai-gateway.yaml');
    expectNoSecrets(text);
    const docs = yaml.parseAllDocuments(text).map(d => d.toJS());
    expect(docs.map(d => d.kind)).toEqual([
      'AIGatewayRoute',
      'AIServiceBackend',
      'BackendSecurityPolicy',
      'BackendTrafficPolicy',
    ]);
    const [route, backend, security, traffic] = docs;
    expect(route.apiVersion).toBe('aigateway.envoyproxy.io/v1beta1');
    expect(
      route.spec.rules.map(
        (r: any) =>
          r.matches[0].headers.find((h: any) => h.name === 'x-ai-eg-model')
            .value,
      ),
    ).toEqual(['gpt-4o-mini', 'llama-3-8b']);
    expect(route.spec.llmRequestCosts.map((c: any) => c.type)).toEqual([
      'InputToken',
      'OutputToken',
      'TotalToken',
    ]);
    expect(backend.spec.schema.name).toBe('OpenAI');
    expect(security.spec.type).toBe('APIKey');
    expect(security.spec.apiKey).toEqual({
      secretRef: { name: 'support-bot-llm-credentials' },
    });
    const [tokenRule, requestRule] = traffic.spec.rateLimit.global.rules;
    expect(tokenRule.limit).toEqual({ requests: 100000, unit: 'Minute' });
    expect(tokenRule.cost.response.metadata).toEqual({
      namespace: 'io.envoy.ai_gateway',
      key: 'llm_total_token',
    });
    expect(requestRule.limit).toEqual({ requests: 600, unit: 'Minute' });

    const env = await read('gateway.env');
    expect(env).toBe(
      'OPENAI_BASE_URL=https://ai-gateway.example.com/v1\nOPENAI_API_KEY_SECRET_REF=support-bot-llm-credentials\n',
    );
    expectNoSecrets(env);
    expect(outputs).toEqual({
      gatewayUrl: 'https://ai-gateway.example.com/v1',
      secretName: 'support-bot-llm-credentials',
    });
  });

  it('writes LiteLLM team settings', async () => {
    const action = createGatewayRouteAction({ config: makeConfig('litellm') });
    const { ctx, outputs } = createContext(input, ws.workspacePath);
    await action.handler(ctx);

    expect(await ws.listFiles()).toEqual([
      path.join('workspace', 'k8s', 'gateway.env'),
      path.join('workspace', 'k8s', 'litellm-team.yaml'),
    ]);
    const text = await read('litellm-team.yaml');
    expectNoSecrets(text);
    const doc = yaml.parse(text);
    expect(doc.team).toMatchObject({
      team_alias: 'support-bot',
      models: ['gpt-4o-mini', 'llama-3-8b'],
      max_budget: 500,
      budget_duration: '30d',
      tpm_limit: 100000,
      rpm_limit: 600,
    });
    expect(doc.key.key_alias).toBe('component:default/support-bot');
    expect(doc.key.secretRef).toEqual({ name: 'support-bot-llm-credentials' });
    expect(await read('gateway.env')).toContain(
      'OPENAI_API_KEY_SECRET_REF=support-bot-llm-credentials',
    );
    expect(outputs.secretName).toBe('support-bot-llm-credentials');
  });

  it('writes nothing in a dry run but returns outputs', async () => {
    const action = createGatewayRouteAction({ config: makeConfig('envoy') });
    const { ctx, outputs } = createContext(input, ws.workspacePath, true);
    await action.handler(ctx);
    expect(await ws.listFiles()).toEqual([]);
    expect(outputs.gatewayUrl).toBe('https://ai-gateway.example.com/v1');
  });

  it('refuses a model the owner may not use and writes nothing', async () => {
    const action = createGatewayRouteAction({ config: makeConfig('envoy') });
    const { ctx } = createContext(
      { ...input, owner: 'group:default/web' },
      ws.workspacePath,
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      "Model 'llama-3-8b' is not allowed for group:default/web; allowed models: gpt-4o-mini",
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses an invalid name and writes nothing', async () => {
    const action = createGatewayRouteAction({ config: makeConfig('litellm') });
    const { ctx } = createContext(
      { ...input, name: 'support bot' },
      ws.workspacePath,
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      /Invalid name 'support bot'/,
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses a targetPath outside the workspace and writes nothing', async () => {
    const action = createGatewayRouteAction({ config: makeConfig('envoy') });
    const { ctx } = createContext(
      { ...input, targetPath: '../escape' },
      ws.workspacePath,
    );
    await expect(action.handler(ctx)).rejects.toThrow(/outside/i);
    expect(await ws.listFiles()).toEqual([]);
  });
});
