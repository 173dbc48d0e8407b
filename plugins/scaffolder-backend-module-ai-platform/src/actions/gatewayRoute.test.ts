import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import yaml from 'yaml';
import { createGatewayRouteAction } from './gatewayRoute';
import {
  createTempWorkspace,
  SECRET_PATTERNS,
} from '../__testUtils__/workspace';
import { testAccessChecker } from '../__testUtils__/org';

/** The real owner-access check over the demo org (the mock user is in acme). */
const access = testAccessChecker();

// Schema checks run in child Node processes: slow on a loaded machine.
jest.setTimeout(30_000);

const ADMIN_KEY = 'sk-admin-master-key-0000';
const KUBE_TOKEN = 'kube-token-0123456789abcdef';
const GENERATED_KEY = 'sk-litellm-generated-0123456789abcdef';

const input = {
  name: 'support-bot',
  owner: 'group:default/ml-team',
  models: ['gpt-4o-mini', 'llama-3-8b'],
  tokensPerMinute: 100000,
  requestsPerMinute: 600,
  monthlyBudgetUsd: 500,
};

const selfHosted = {
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  host: 'llama-server.ml-team.svc.cluster.local',
  port: 8000,
};

function makeConfig(
  kind: 'envoy' | 'litellm',
  extra: Record<string, unknown> = {},
) {
  return new ConfigReader({
    aiPlatform: {
      gateway: {
        kind,
        baseUrl: 'https://ai-gateway.example.com/v1/',
        allowedModels: {
          default: ['gpt-4o-mini'],
          groups: { 'group:default/ml-team': ['llama-3-8b'] },
        },
        ...extra,
      },
    },
  });
}

/**
 * Validates objects with the kubernetes-models schema packages. They are
 * ESM only (exports with just an `import` condition), which Jest's CommonJS
 * runtime cannot resolve, so a child Node process loads them.
 */
const VALIDATE_SCRIPT = `
import * as envoyGateway from '@kubernetes-models/envoy-gateway/gateway.envoyproxy.io/v1alpha1';
import * as core from 'kubernetes-models/v1';
const models = { 'gateway.envoyproxy.io/v1alpha1': envoyGateway, v1: core };
let input = '';
for await (const chunk of process.stdin) input += chunk;
const errors = JSON.parse(input).map(doc => {
  try {
    new models[doc.apiVersion][doc.kind](doc).validate();
    return null;
  } catch (error) {
    return doc.kind + ': ' + error.message;
  }
});
process.stdout.write(JSON.stringify(errors));
`;

function schemaErrors(objects: object[]): Array<string | null> {
  return JSON.parse(
    execFileSync(
      process.execPath,
      ['--input-type=module', '-e', VALIDATE_SCRIPT],
      {
        input: JSON.stringify(objects),
        cwd: __dirname,
        encoding: 'utf8',
      },
    ),
  );
}

/** Every Kubernetes object needs these, whatever its kind. */
function expectManifestShape(doc: any) {
  expect(doc.apiVersion).toEqual(expect.any(String));
  expect(doc.kind).toEqual(expect.any(String));
  expect(doc.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  expect(doc.spec).toEqual(expect.any(Object));
}

type Reply = { status: number; body?: unknown };
type RecordedRequest = {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: any;
};

/** A real HTTP server on 127.0.0.1 standing in for LiteLLM or Kubernetes. */
async function startFakeApi(routes: Record<string, Reply>) {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', chunk => {
      text += chunk;
    });
    req.on('end', () => {
      requests.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const reply = routes[`${req.method} ${req.url}`] ?? {
        status: 404,
        body: { detail: 'Not Found' },
      };
      res.writeHead(reply.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

const LITELLM_OK: Record<string, Reply> = {
  'POST /model/new': { status: 200, body: { model_id: 'model-1' } },
  'POST /team/new': {
    status: 200,
    body: { team_id: 'team-123', team_alias: 'support-bot' },
  },
  'POST /key/generate': {
    status: 200,
    body: {
      key: GENERATED_KEY,
      key_alias: 'component:default/support-bot',
      token: 'hashed-token',
    },
  },
};
const SECRETS_PATH = '/api/v1/namespaces/ai-services/secrets';
const KUBERNETES_OK: Record<string, Reply> = {
  [`POST ${SECRETS_PATH}`]: { status: 201, body: { kind: 'Secret' } },
};

describe('ai-platform:gateway:route', () => {
  let ws: Awaited<ReturnType<typeof createTempWorkspace>>;
  let servers: Array<{ close: () => Promise<void> }>;

  beforeEach(async () => {
    ws = await createTempWorkspace();
    servers = [];
  });
  afterEach(async () => {
    await Promise.all(servers.map(s => s.close()));
    await ws.cleanup();
  });

  /** LiteLLM and Kubernetes stand-ins plus a config that uses both. */
  async function adminSetup(
    litellmRoutes = LITELLM_OK,
    kubernetesRoutes = KUBERNETES_OK,
  ) {
    const litellm = await startFakeApi(litellmRoutes);
    const kubernetes = await startFakeApi(kubernetesRoutes);
    servers.push(litellm, kubernetes);
    const config = makeConfig('litellm', {
      litellm: { adminUrl: `${litellm.url}/`, adminKey: ADMIN_KEY },
      kubernetes: {
        apiUrl: kubernetes.url,
        token: KUBE_TOKEN,
        namespace: 'ai-services',
      },
    });
    return { litellm, kubernetes, config };
  }

  function context(
    values: Record<string, unknown>,
    isDryRun = false,
    user?: string,
  ) {
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: values as any,
      workspacePath: ws.workspacePath,
      logger,
    });
    // createMockActionContext does not pass isDryRun through.
    return {
      ctx: {
        ...ctx,
        isDryRun,
        ...(user && {
          getInitiatorCredentials: async () => mockCredentials.user(user),
        }),
      },
      logger,
    };
  }

  function outputsOf(ctx: { output: unknown }): Record<string, any> {
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  function logged(logger: ReturnType<typeof mockServices.logger.mock>) {
    return JSON.stringify(
      [logger.debug, logger.info, logger.warn, logger.error].map(
        fn => (fn as jest.Mock).mock.calls,
      ),
    );
  }

  async function read(file: string) {
    return fs.readFile(path.join(ws.workspacePath, 'k8s', file), 'utf8');
  }

  async function readAll() {
    const files = await ws.listFiles();
    const texts = await Promise.all(
      files.map(f => fs.readFile(path.join(ws.root, f), 'utf8')),
    );
    return texts.join('\n');
  }

  function expectNoSecrets(text: string) {
    for (const pattern of SECRET_PATTERNS) {
      expect(text).not.toMatch(pattern);
    }
  }

  it('has an id, dry-run support and examples that run', async () => {
    const action = createGatewayRouteAction({
      access,
      config: makeConfig('litellm'),
    });
    expect(action.id).toBe('ai-platform:gateway:route');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.length).toBe(3);
    for (const example of action.examples ?? []) {
      const [step] = yaml.parse(example.example).steps;
      expect(step.action).toBe('ai-platform:gateway:route');
      const { ctx } = context(step.input, true);
      await action.handler(ctx);
    }
  });

  it('writes Envoy AI Gateway manifests that match the schemas', async () => {
    const action = createGatewayRouteAction({
      access,
      config: makeConfig('envoy'),
    });
    const { ctx } = context(input);
    await action.handler(ctx);

    expect(await ws.listFiles()).toEqual([
      path.join('workspace', 'k8s', 'ai-gateway.yaml'),
      path.join('workspace', 'k8s', 'gateway.env'),
    ]);
    const text = await read('ai-gateway.yaml');
    expectNoSecrets(text);
    const parsed = yaml.parseAllDocuments(text);
    expect(parsed.flatMap(d => d.errors)).toEqual([]);
    const docs = parsed.map(d => d.toJS());
    docs.forEach(expectManifestShape);
    expect(docs.map(d => d.kind)).toEqual([
      'AIGatewayRoute',
      'AIServiceBackend',
      'BackendSecurityPolicy',
      'BackendTrafficPolicy',
    ]);
    const [route, backend, security, traffic] = docs;
    expect(route.apiVersion).toBe('aigateway.envoyproxy.io/v1beta1');
    expect(route.metadata.annotations).toEqual({
      'backstage.io/owner': 'group:default/ml-team',
      'ai-platform.io/entity-ref': 'component:default/support-bot',
      'ai-platform.io/monthly-budget-usd': '500',
    });
    expect(route.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: 'ai-gateway',
      },
    ]);
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
    expect(backend.spec).toEqual({
      schema: { name: 'OpenAI' },
      backendRef: {
        group: 'gateway.envoyproxy.io',
        kind: 'Backend',
        name: 'llm-provider',
      },
    });
    expect(security.spec.type).toBe('APIKey');
    expect(security.spec.apiKey).toEqual({
      secretRef: { name: 'support-bot-llm-credentials' },
    });

    expect(traffic.spec.targetRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'HTTPRoute',
        name: 'support-bot',
      },
    ]);
    const [tokenRule, requestRule] = traffic.spec.rateLimit.global.rules;
    expect(tokenRule.limit).toEqual({ requests: 100000, unit: 'Minute' });
    expect(tokenRule.cost.response.metadata).toEqual({
      namespace: 'io.envoy.ai_gateway',
      key: 'llm_total_token',
    });
    expect(requestRule.limit).toEqual({ requests: 600, unit: 'Minute' });
    expect(schemaErrors([traffic])).toEqual([null]);

    const env = await read('gateway.env');
    expect(env).toBe(
      'OPENAI_BASE_URL=https://ai-gateway.example.com/v1\nOPENAI_API_KEY_SECRET_REF=support-bot-llm-credentials\n',
    );
    expectNoSecrets(env);
    expect(outputsOf(ctx)).toEqual({
      gatewayUrl: 'https://ai-gateway.example.com/v1',
      secretName: 'support-bot-llm-credentials',
      annotations: {
        'ai-platform.io/gateway-route': 'support-bot',
        'ai-platform.io/gateway-models': 'gpt-4o-mini,llama-3-8b',
        'ai-platform.io/gateway-key-alias': 'component:default/support-bot',
        'ai-platform.io/gateway-secret': 'support-bot-llm-credentials',
        'ai-platform.io/envoy-ai-gateway-route': 'support-bot',
      },
    });
  });

  it('checks the schemas for real', () => {
    expect(
      schemaErrors([
        {
          apiVersion: 'gateway.envoyproxy.io/v1alpha1',
          kind: 'BackendTrafficPolicy',
          metadata: { name: 'x' },
          spec: {
            rateLimit: {
              type: 'Global',
              global: {
                rules: [{ limit: { requests: 1, unit: 'Fortnight' } }],
              },
            },
          },
        },
      ]),
    ).toEqual([expect.stringContaining('BackendTrafficPolicy')]);
  });

  it('leaves out the rate limit policy without limits', async () => {
    const action = createGatewayRouteAction({
      access,
      config: makeConfig('envoy'),
    });
    const { ctx } = context({
      name: 'support-bot',
      owner: 'ml-team',
      models: ['gpt-4o-mini'],
    });
    await action.handler(ctx);
    const docs = yaml
      .parseAllDocuments(await read('ai-gateway.yaml'))
      .map(d => d.toJS());
    expect(docs.map(d => d.kind)).not.toContain('BackendTrafficPolicy');
  });

  it('writes LiteLLM team settings without an admin API', async () => {
    const action = createGatewayRouteAction({
      access,
      config: makeConfig('litellm'),
    });
    const { ctx } = context(input);
    await action.handler(ctx);

    expect(await ws.listFiles()).toEqual([
      path.join('workspace', 'k8s', 'gateway.env'),
      path.join('workspace', 'k8s', 'litellm-team.yaml'),
    ]);
    const text = await read('litellm-team.yaml');
    expectNoSecrets(text);
    expect(yaml.parse(text)).toEqual({
      team: {
        team_alias: 'support-bot',
        models: ['gpt-4o-mini', 'llama-3-8b'],
        max_budget: 500,
        budget_duration: '30d',
        tpm_limit: 100000,
        rpm_limit: 600,
        metadata: { backstage_owner: 'group:default/ml-team' },
      },
      key: {
        key_alias: 'component:default/support-bot',
        models: ['gpt-4o-mini', 'llama-3-8b'],
        max_budget: 500,
        budget_duration: '30d',
        tpm_limit: 100000,
        rpm_limit: 600,
        metadata: { tags: ['backstage:component:default/support-bot'] },
        secretRef: { name: 'support-bot-llm-credentials' },
      },
    });
    const outputs = outputsOf(ctx);
    expect(outputs.secretName).toBe('support-bot-llm-credentials');
    expect(outputs.litellmTeamId).toBeUndefined();
  });

  it('writes the files but calls nothing in a dry run', async () => {
    const { litellm, kubernetes, config } = await adminSetup();
    const action = createGatewayRouteAction({ access, config });
    const { ctx } = context({ ...input, selfHosted, models: undefined }, true);
    await action.handler(ctx);

    expect(litellm.requests).toEqual([]);
    expect(kubernetes.requests).toEqual([]);
    expect(await ws.listFiles()).toEqual([
      path.join('workspace', 'k8s', 'gateway.env'),
      path.join('workspace', 'k8s', 'litellm-team.yaml'),
    ]);
    const outputs = outputsOf(ctx);
    expect(outputs.gatewayUrl).toBe('https://ai-gateway.example.com/v1');
    expect(outputs.annotations['ai-platform.io/gateway-models']).toBe(
      selfHosted.model,
    );
    // No AIGatewayRoute behind a LiteLLM gateway: nothing for Envoy to halt.
    expect(outputs.annotations).not.toHaveProperty(
      'ai-platform.io/envoy-ai-gateway-route',
    );
    expect(outputs.litellmTeamId).toBeUndefined();
  });

  it('routes a self-hosted model through an Envoy Gateway Backend', async () => {
    const action = createGatewayRouteAction({
      access,
      config: makeConfig('envoy'),
    });
    // The owner may use no listed model besides the defaults: its own server needs no allowance.
    const { ctx } = context({
      name: 'llama-chat',
      owner: 'group:default/web',
      selfHosted,
      tokensPerMinute: 50000,
    });
    await action.handler(ctx);

    const docs = yaml
      .parseAllDocuments(await read('ai-gateway.yaml'))
      .map(d => d.toJS());
    docs.forEach(expectManifestShape);
    expect(docs.map(d => d.kind)).toEqual([
      'AIGatewayRoute',
      'AIServiceBackend',
      'Backend',
      'BackendTrafficPolicy',
    ]);
    const [route, serviceBackend, backend, traffic] = docs;
    expect(route.spec.rules).toHaveLength(1);
    expect(route.spec.rules[0].matches[0].headers[0].value).toBe(
      selfHosted.model,
    );
    expect(serviceBackend.spec.backendRef).toEqual({
      group: 'gateway.envoyproxy.io',
      kind: 'Backend',
      name: 'llama-chat-model-server',
    });
    expect(backend).toMatchObject({
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      metadata: { name: 'llama-chat-model-server' },
      spec: {
        endpoints: [
          {
            fqdn: {
              hostname: 'llama-server.ml-team.svc.cluster.local',
              port: 8000,
            },
          },
        ],
      },
    });
    expect(schemaErrors([backend, traffic])).toEqual([null, null]);
    expect(outputsOf(ctx).annotations['ai-platform.io/gateway-models']).toBe(
      selfHosted.model,
    );
  });

  it('registers a self-hosted model with LiteLLM before the team', async () => {
    const { litellm, config } = await adminSetup();
    const action = createGatewayRouteAction({ access, config });
    const { ctx } = context({
      name: 'support-bot',
      owner: 'group:default/web',
      selfHosted: { ...selfHosted, host: 'llama-server', port: 8080 },
    });
    await action.handler(ctx);

    const model = {
      model_name: selfHosted.model,
      litellm_params: {
        model: `hosted_vllm/${selfHosted.model}`,
        api_base: 'http://llama-server:8080/v1',
      },
    };
    expect(litellm.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      'POST /model/new',
      'POST /team/new',
      'POST /key/generate',
    ]);
    expect(litellm.requests[0].body).toEqual(model);
    expect(litellm.requests[1].body.models).toEqual([selfHosted.model]);
    const file = yaml.parse(await read('litellm-team.yaml'));
    expect(file.model).toEqual(model);
    expect(file.team.models).toEqual([selfHosted.model]);
    expect(file.team.budget_duration).toBeUndefined();
  });

  it('creates the LiteLLM team and key and keeps the key in the Secret only', async () => {
    const { litellm, kubernetes, config } = await adminSetup();
    const action = createGatewayRouteAction({ access, config });
    const { ctx, logger } = context(input);
    await action.handler(ctx);

    const limits = {
      models: ['gpt-4o-mini', 'llama-3-8b'],
      max_budget: 500,
      budget_duration: '30d',
      tpm_limit: 100000,
      rpm_limit: 600,
    };
    expect(litellm.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      'POST /team/new',
      'POST /key/generate',
    ]);
    for (const request of litellm.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
      expect(request.headers['content-type']).toBe('application/json');
    }
    expect(litellm.requests[0].body).toEqual({
      team_alias: 'support-bot',
      ...limits,
      metadata: { backstage_owner: 'group:default/ml-team' },
    });
    expect(litellm.requests[1].body).toEqual({
      team_id: 'team-123',
      key_alias: 'component:default/support-bot',
      ...limits,
      metadata: { tags: ['backstage:component:default/support-bot'] },
    });

    expect(kubernetes.requests).toHaveLength(1);
    const [secretRequest] = kubernetes.requests;
    expect(secretRequest.method).toBe('POST');
    expect(secretRequest.url).toBe(SECRETS_PATH);
    expect(secretRequest.headers.authorization).toBe(`Bearer ${KUBE_TOKEN}`);
    expect(secretRequest.body).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'support-bot-llm-credentials',
        namespace: 'ai-services',
        labels: {
          'app.kubernetes.io/part-of': 'ai-platform',
          'app.kubernetes.io/managed-by': 'backstage',
        },
        annotations: {
          'backstage.io/owner': 'group:default/ml-team',
          'ai-platform.io/entity-ref': 'component:default/support-bot',
        },
      },
      type: 'Opaque',
      stringData: { OPENAI_API_KEY: GENERATED_KEY },
    });
    expect(schemaErrors([secretRequest.body])).toEqual([null]);

    const outputs = outputsOf(ctx);
    expect(outputs.litellmTeamId).toBe('team-123');
    expect(outputs.secretName).toBe('support-bot-llm-credentials');
    const files = await readAll();
    expectNoSecrets(files);
    for (const secret of [GENERATED_KEY, ADMIN_KEY, KUBE_TOKEN]) {
      expect(files).not.toContain(secret);
      expect(JSON.stringify(outputs)).not.toContain(secret);
      expect(logged(logger)).not.toContain(secret);
    }
    expect(logged(logger)).toContain('team-123');
  });

  it('replaces an existing Secret on 409 Conflict', async () => {
    const { kubernetes, config } = await adminSetup(LITELLM_OK, {
      [`POST ${SECRETS_PATH}`]: {
        status: 409,
        body: { kind: 'Status', reason: 'AlreadyExists', code: 409 },
      },
      [`PUT ${SECRETS_PATH}/support-bot-llm-credentials`]: {
        status: 200,
        body: { kind: 'Secret' },
      },
    });
    const action = createGatewayRouteAction({ access, config });
    const { ctx } = context(input);
    await action.handler(ctx);

    expect(kubernetes.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      `POST ${SECRETS_PATH}`,
      `PUT ${SECRETS_PATH}/support-bot-llm-credentials`,
    ]);
    expect(kubernetes.requests[1].headers.authorization).toBe(
      `Bearer ${KUBE_TOKEN}`,
    );
    expect(kubernetes.requests[1].body).toEqual(kubernetes.requests[0].body);
    expect(outputsOf(ctx).litellmTeamId).toBe('team-123');
  });

  it('reports a LiteLLM error clearly and writes nothing', async () => {
    const { kubernetes, config } = await adminSetup({
      'POST /team/new': {
        status: 400,
        body: {
          error: {
            message: 'Team alias support-bot already exists',
            type: 'bad_request_error',
            code: '400',
          },
        },
      },
    });
    const action = createGatewayRouteAction({ access, config });
    const { ctx } = context(input);
    await expect(action.handler(ctx)).rejects.toThrow(
      'LiteLLM POST /team/new failed with 400 Bad Request: Team alias support-bot already exists',
    );
    expect(kubernetes.requests).toEqual([]);
    expect(await ws.listFiles()).toEqual([]);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('masks the admin key when LiteLLM echoes it', async () => {
    const { config } = await adminSetup({
      'POST /team/new': {
        status: 401,
        body: { detail: { error: `Invalid proxy token ${ADMIN_KEY}` } },
      },
    });
    const action = createGatewayRouteAction({ access, config });
    const { ctx } = context(input);
    const error = await action.handler(ctx).catch(e => e);
    expect(error.message).toBe(
      'LiteLLM POST /team/new failed with 401 Unauthorized: Invalid proxy token ***',
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('reports a Kubernetes error without the key and writes nothing', async () => {
    const { config } = await adminSetup(LITELLM_OK, {
      [`POST ${SECRETS_PATH}`]: {
        status: 403,
        body: {
          kind: 'Status',
          message:
            'secrets is forbidden: User "system:serviceaccount:backstage:backstage" cannot create resource "secrets"',
          code: 403,
        },
      },
    });
    const action = createGatewayRouteAction({ access, config });
    const { ctx, logger } = context(input);
    const error = await action.handler(ctx).catch(e => e);
    expect(error.message).toBe(
      `Kubernetes POST ${SECRETS_PATH} failed with 403 Forbidden: secrets is forbidden: User "system:serviceaccount:backstage:backstage" cannot create resource "secrets"`,
    );
    expect(error.message).not.toContain(GENERATED_KEY);
    expect(logged(logger)).not.toContain(GENERATED_KEY);
    expect(await ws.listFiles()).toEqual([]);
  });

  it.each([false, true])(
    'refuses a LiteLLM admin API without Kubernetes before any request (dry run: %s)',
    async isDryRun => {
      const litellm = await startFakeApi(LITELLM_OK);
      servers.push(litellm);
      const action = createGatewayRouteAction({
        access,
        config: makeConfig('litellm', {
          litellm: { adminUrl: litellm.url, adminKey: ADMIN_KEY },
        }),
      });
      const { ctx } = context(input, isDryRun);
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /aiPlatform\.gateway\.kubernetes is not.*nowhere safe/,
      );
      expect(litellm.requests).toEqual([]);
      expect(await ws.listFiles()).toEqual([]);
    },
  );

  it('refuses a LiteLLM admin URL without a key', async () => {
    const action = createGatewayRouteAction({
      access,
      config: makeConfig('litellm', {
        litellm: { adminUrl: 'http://127.0.0.1:1' },
      }),
    });
    const { ctx } = context(input);
    await expect(action.handler(ctx)).rejects.toThrow(
      'aiPlatform.gateway.litellm.adminUrl and aiPlatform.gateway.litellm.adminKey must be set together',
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  describe('refusals write nothing and call nothing', () => {
    const cases: Array<
      [string, Record<string, unknown>, RegExp | string, string?]
    > = [
      [
        'an owner the user may not act for (Frank is in data-team only)',
        {},
        "user:default/frank may not act for owner 'group:default/ml-team': not a member of it or of a group above it",
        'user:default/frank',
      ],
      [
        'an unknown owner',
        { owner: 'group:default/ghost-team' },
        "Unknown owner 'group:default/ghost-team': there is no such Group or User in the catalog",
      ],
      [
        'an owner that is not a Group or User',
        { owner: 'system:default/customer-support' },
        "Invalid owner 'system:default/customer-support': must be a Group or a User",
      ],
      [
        'a model the owner may not use',
        { owner: 'group:default/web' },
        "Model 'llama-3-8b' is not allowed for group:default/web; allowed models: gpt-4o-mini",
      ],
      ['no models', { models: [] }, 'models must list at least one model'],
      ['an invalid name', { name: 'Bad_Name' }, /Invalid name 'Bad_Name'/],
      ['a path as name', { name: '../x' }, /Invalid name '\.\.\/x'/],
      [
        'a targetPath outside the workspace',
        { targetPath: '../outside' },
        /outside/i,
      ],
      [
        'a fractional token limit',
        { tokensPerMinute: 1.5 },
        "Invalid tokensPerMinute '1.5': must be a positive integer",
      ],
      [
        'a self-hosted port of 0',
        { selfHosted: { ...selfHosted, port: 0 } },
        "Invalid selfHosted.port '0': must be an integer from 1 to 65535",
      ],
      [
        'a self-hosted port above 65535',
        { selfHosted: { ...selfHosted, port: 70000 } },
        /Invalid selfHosted.port '70000'/,
      ],
      [
        'a self-hosted URL as host',
        { selfHosted: { ...selfHosted, host: 'http://llama-server' } },
        /Invalid selfHosted.host 'http:\/\/llama-server': must be a DNS name/,
      ],
      [
        'an uppercase self-hosted host',
        { selfHosted: { ...selfHosted, host: 'Llama_Server' } },
        /Invalid selfHosted.host 'Llama_Server'/,
      ],
      [
        'an empty self-hosted model',
        { selfHosted: { ...selfHosted, model: '' } },
        /Invalid selfHosted.model ''/,
      ],
      [
        'a provider model on a self-hosted route',
        { selfHosted, models: [selfHosted.model, 'gpt-4o'] },
        "Model 'gpt-4o' is not served by the self-hosted model server",
      ],
    ];

    // Every row with a user (or none), so Jest passes no done callback.
    const rows = cases.map(([name, change, message, user]) => [
      name,
      change,
      message,
      user ?? null,
    ]) as Array<
      [string, Record<string, unknown>, RegExp | string, string | null]
    >;
    it.each(rows)('%s', async (_, change, message, user) => {
      for (const isDryRun of [false, true]) {
        const { litellm, kubernetes, config } = await adminSetup();
        const action = createGatewayRouteAction({ access, config });
        const { ctx } = context(
          { ...input, ...change },
          isDryRun,
          user ?? undefined,
        );
        const error = await action.handler(ctx).catch(e => e);
        expect(error).toBeInstanceOf(Error);
        expect(error.message).toMatch(message);
        expect(litellm.requests).toEqual([]);
        expect(kubernetes.requests).toEqual([]);
        expect(await ws.listFiles()).toEqual([]);
      }
    });
  });
});
