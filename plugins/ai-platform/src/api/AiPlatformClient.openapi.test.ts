import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { AiPlatformApi } from './AiPlatformApi';
import { AiPlatformClient } from './AiPlatformClient';

/** The backend's OpenAPI spec: the contract this client is checked against. */
const spec = YAML.parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../ai-platform-backend/src/schema/openapi.yaml',
    ),
    'utf8',
  ),
);

const BASE_URL = 'http://backstage.test/api/ai-platform';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const RANGE = {
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
};
const SPEND = {
  ...RANGE,
  groupBy: 'model' as const,
  team: 'group:default/ml-team',
  includeSubteams: true,
};

/**
 * Every call the client makes, each with all its optional parameters set
 * and without them. Keyed by the API's methods, so that a new method of the
 * client fails to compile here until its calls are listed.
 */
const CALLS: Record<
  keyof AiPlatformApi,
  Array<(api: AiPlatformApi) => Promise<unknown>>
> = {
  listPipelines: [
    api => api.listPipelines(),
    api =>
      api.listPipelines({ limit: 25, offset: 50, q: 'rag', sort: '-errors' }),
  ],
  getPipelineOwnership: [
    api => api.getPipelineOwnership('default', 'support-answers'),
  ],
  getOwnershipReport: [
    api => api.getOwnershipReport(),
    api => api.getOwnershipReport('group:default/ml-team'),
    api =>
      api.getOwnershipReport('group:default/ml-team', {
        limit: 10,
        offset: 10,
        q: 'unowned',
        sort: 'owner',
      }),
  ],
  getOwnedStages: [
    api => api.getOwnedStages('group:default/ml-team'),
    api =>
      api.getOwnedStages('group:default/ml-team', {
        limit: 5,
        offset: 0,
        q: 'embed',
        sort: '-stage',
      }),
  ],
  getDashboard: [api => api.getDashboard('default', 'support-answers', RANGE)],
  getHaltState: [api => api.getHaltState('default', 'support-answers')],
  haltPipeline: [
    api => api.haltPipeline('default', 'support-answers', 'accuracy fell'),
  ],
  resumePipeline: [
    api => api.resumePipeline('default', 'support-answers', 'fixed'),
    api =>
      api.resumePipeline('default', 'support-answers', 'fixed', {
        override: true,
      }),
  ],
  retryHaltEnforcement: [
    api => api.retryHaltEnforcement('default', 'support-answers'),
  ],
  listAudit: [
    api => api.listAudit(),
    api =>
      api.listAudit({
        entityRef: 'aipipeline:default/support-answers',
        limit: 5,
      }),
  ],
  getSpend: [
    api => api.getSpend(SPEND),
    api => api.getSpend({ ...RANGE, groupBy: 'team' }),
  ],
  getDailySpend: [
    api => api.getDailySpend(SPEND),
    api => api.getDailySpend({ ...RANGE, groupBy: 'pipeline' }),
  ],
  getSpendBudget: [api => api.getSpendBudget('group:default/ml-team')],
  getUnpricedModels: [api => api.getUnpricedModels(RANGE)],
  getScaffolderOptions: [
    api => api.getScaffolderOptions('group:default/ml-team'),
  ],
};

interface Recorded {
  method: string;
  url: URL;
  contentType?: string;
  body?: string;
}

async function record(call: (api: AiPlatformApi) => Promise<unknown>) {
  const requests: Recorded[] = [];
  const fetch = jest.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    requests.push({
      method: (init?.method ?? 'GET').toLowerCase(),
      url: new URL(String(url)),
      contentType: headers.get('Content-Type') ?? undefined,
      body: init?.body as string | undefined,
    });
    return new Response('{}', {
      headers: { 'Content-Type': 'application/json' },
    });
  });
  const client = new AiPlatformClient({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
    fetchApi: { fetch },
  });
  await call(client);
  return requests;
}

function resolve(node: any): any {
  if (!node?.$ref) return node;
  const target = (node.$ref as string)
    .replace(/^#\//, '')
    .split('/')
    .reduce((at: any, key) => at[key], spec);
  return resolve(target);
}

/** The spec's path template and its path parameters for a request path. */
function matchTemplate(pathname: string) {
  const matches = Object.keys(spec.paths).flatMap(template => {
    const names: string[] = [];
    const pattern = template.replace(/\{(\w+)\}/g, (_, name) => {
      names.push(name);
      return '([^/]+)';
    });
    const m = new RegExp(`^${pattern}$`).exec(pathname);
    if (!m) return [];
    const params = Object.fromEntries(
      names.map((n, i) => [n, decodeURIComponent(m[i + 1])]),
    );
    return [{ template, params, literal: names.length === 0 }];
  });
  // A literal path wins over a template, as in the backend's router.
  return matches.find(m => m.literal) ?? matches[0];
}

/** Why a parameter value does not fit its schema, or undefined. */
function valueProblem(value: string, schema: any): string | undefined {
  const s = resolve(schema);
  if (s.enum && !s.enum.includes(value)) return `not one of ${s.enum}`;
  if (s.pattern && !new RegExp(s.pattern).test(value)) {
    return `does not match ${s.pattern}`;
  }
  if (s.type === 'integer' && !/^-?\d+$/.test(value)) return 'not an integer';
  if (s.type === 'boolean' && value !== 'true' && value !== 'false') {
    return 'not a boolean';
  }
  if (
    s.format === 'date-time' &&
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)
  ) {
    return 'not an RFC 3339 date-time';
  }
  if (s.minLength && value.length < s.minLength) return 'too short';
  return undefined;
}

/** The problems of a request against the spec: none when it conforms. */
function problems(request: Recorded): string[] {
  const found: string[] = [];
  const pathname = request.url.pathname.slice(
    new URL(BASE_URL).pathname.length,
  );
  const match = matchTemplate(pathname);
  if (!request.url.href.startsWith(BASE_URL) || !match) {
    return [`no path of the spec matches ${request.url.href}`];
  }
  const operation = spec.paths[match.template][request.method];
  if (!operation) {
    return [
      `${request.method.toUpperCase()} ${match.template} is not in the spec`,
    ];
  }
  const parameters = (operation.parameters ?? []).map(resolve);
  for (const [name, value] of Object.entries(match.params)) {
    const p = parameters.find((x: any) => x.in === 'path' && x.name === name);
    const problem = p ? valueProblem(value, p.schema) : 'not declared';
    if (problem) found.push(`path parameter ${name}: ${problem}`);
  }
  const query = request.url.searchParams;
  for (const name of new Set(query.keys())) {
    const p = parameters.find((x: any) => x.in === 'query' && x.name === name);
    if (!p) {
      found.push(`query parameter ${name} is not declared`);
    } else if (query.getAll(name).length > 1) {
      found.push(`query parameter ${name} is repeated`);
    } else {
      const problem = valueProblem(query.get(name)!, p.schema);
      if (problem) found.push(`query parameter ${name}: ${problem}`);
    }
  }
  for (const p of parameters) {
    if (p.in === 'query' && p.required && !query.has(p.name)) {
      found.push(`required query parameter ${p.name} is missing`);
    }
  }
  const content = operation.requestBody?.content;
  if (request.body !== undefined || content) {
    const media = content?.[request.contentType ?? ''];
    if (!media) {
      found.push(`a body of ${request.contentType} is not in the spec`);
    } else {
      const schema = resolve(media.schema);
      const body = JSON.parse(request.body ?? 'null');
      for (const name of schema.required ?? []) {
        if (!(name in (body ?? {}))) found.push(`body field ${name} missing`);
      }
      for (const [name, value] of Object.entries(body ?? {})) {
        const property = schema.properties?.[name];
        if (!property) {
          found.push(`body field ${name} is not in the spec`);
        } else if (
          resolve(property).type === 'string' &&
          typeof value !== 'string'
        ) {
          found.push(`body field ${name} is not a string`);
        }
      }
    }
  }
  return found;
}

describe('AiPlatformClient against the backend OpenAPI spec', () => {
  const cases = Object.entries(CALLS).flatMap(([method, calls]) =>
    calls.map((call, i) => [`${method} #${i + 1}`, call] as const),
  );

  it.each(cases)('%s makes requests the spec describes', async (_, call) => {
    const requests = await record(call);
    expect(requests).toHaveLength(1);
    expect(problems(requests[0])).toEqual([]);
  });

  it('uses every operation of the spec but ingestion (service credentials only)', async () => {
    const used = new Set<string>();
    for (const [, call] of cases) {
      for (const r of await record(call)) {
        const pathname = r.url.pathname.slice(
          new URL(BASE_URL).pathname.length,
        );
        used.add(`${r.method} ${matchTemplate(pathname)?.template}`);
      }
    }
    const forBrowsers = Object.entries<any>(spec.paths).flatMap(
      ([template, item]) =>
        METHODS.filter(
          m => item[m] && !(item[m].tags ?? []).includes('Ingestion'),
        ).map(m => `${m} ${template}`),
    );
    expect(forBrowsers.filter(op => !used.has(op))).toEqual([]);
  });

  it('finds the problems of a request that does not conform', () => {
    const at = (p: string) => new URL(`${BASE_URL}${p}`);
    expect(problems({ method: 'get', url: at('/nope') })).toEqual([
      `no path of the spec matches ${BASE_URL}/nope`,
    ]);
    expect(problems({ method: 'delete', url: at('/spend') })).toEqual([
      'DELETE /spend is not in the spec',
    ]);
    expect(
      problems({
        method: 'get',
        url: at('/spend?groupBy=owner&sort=cost&from=yesterday'),
      }),
    ).toEqual([
      'query parameter groupBy: not one of team,service,model,pipeline',
      'query parameter sort is not declared',
      'query parameter from: not an RFC 3339 date-time',
    ]);
    expect(problems({ method: 'get', url: at('/stages') })).toEqual([
      'required query parameter owner is missing',
    ]);
    expect(
      problems({ method: 'get', url: at('/pipelines/default/-x/halt') }),
    ).toEqual([
      'path parameter name: does not match ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$',
    ]);
    expect(
      problems({
        method: 'post',
        url: at('/pipelines/default/x/halt'),
        contentType: 'application/json',
        body: JSON.stringify({ why: 'x' }),
      }),
    ).toEqual([
      'body field reason missing',
      'body field why is not in the spec',
    ]);
  });
});
