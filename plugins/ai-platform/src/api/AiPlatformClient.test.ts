import { ResponseError } from '@backstage/errors';
import { AiPlatformClient } from './AiPlatformClient';

const BASE_URL = 'http://backstage.test/api/ai-platform';

function jsonResponse(
  body: unknown,
  status = 200,
  statusText = 'OK',
): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(response: () => Response = () => jsonResponse({ items: [] })) {
  const discoveryApi = { getBaseUrl: jest.fn().mockResolvedValue(BASE_URL) };
  const fetch = jest.fn().mockImplementation(async () => response());
  const client = new AiPlatformClient({ discoveryApi, fetchApi: { fetch } });
  return { client, discoveryApi, fetch };
}

describe('AiPlatformClient', () => {
  it('lists pipelines from the ai-platform backend', async () => {
    const items = [{ pipeline: 'aipipeline:default/a' }];
    const { client, discoveryApi, fetch } = setup(() =>
      jsonResponse({ items }),
    );

    await expect(client.listPipelines()).resolves.toEqual({ items });
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('ai-platform');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(`${BASE_URL}/pipelines`);
  });

  it('fetches every page without a limit, one page with one', async () => {
    const all = Array.from({ length: 5 }, (_, i) => ({ pipeline: `p${i}` }));
    const { client, fetch } = setup();
    fetch.mockImplementation(async (url: string) => {
      const params = new URL(url).searchParams;
      const offset = Number(params.get('offset') ?? 0);
      const limit = Number(params.get('limit') ?? 2);
      return jsonResponse({
        items: all.slice(offset, offset + limit),
        totalItems: all.length,
        limit,
        offset,
      });
    });

    const every = await client.listPipelines({ q: 'p' });
    expect(every.items).toEqual(all);
    expect(every.totalItems).toBe(5);
    expect(fetch.mock.calls.map(c => c[0])).toEqual([
      `${BASE_URL}/pipelines?q=p`,
      `${BASE_URL}/pipelines?limit=2&offset=2&q=p`,
      `${BASE_URL}/pipelines?limit=2&offset=4&q=p`,
    ]);

    fetch.mockClear();
    const page = await client.getOwnedStages('group:default/a', { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('encodes namespace and name in the ownership URL', async () => {
    const { client, fetch } = setup();

    await client.getPipelineOwnership('default', 'support-rag');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/pipelines/default/support-rag/ownership`,
    );

    await client.getPipelineOwnership('team a/b', 'rag?x=1#frag');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/pipelines/team%20a%2Fb/rag%3Fx%3D1%23frag/ownership`,
    );
  });

  it('passes the owner of the ownership report as an encoded query parameter', async () => {
    const { client, fetch } = setup();

    await client.getOwnershipReport();
    expect(fetch).toHaveBeenLastCalledWith(`${BASE_URL}/ownership/report`);

    await client.getOwnershipReport('group:default/ml-team');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/ownership/report?owner=group%3Adefault%2Fml-team`,
    );

    await client.getOwnershipReport('group:default/a&b=c');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/ownership/report?owner=group%3Adefault%2Fa%26b%3Dc`,
    );
  });

  it('passes limit, offset, q and sort of the list routes, leaving out the unset ones', async () => {
    const { client, fetch } = setup();

    await client.listPipelines();
    expect(fetch).toHaveBeenLastCalledWith(`${BASE_URL}/pipelines`);

    await client.listPipelines({
      limit: 25,
      offset: 50,
      q: 'a&b',
      sort: '-errors',
    });
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/pipelines?limit=25&offset=50&q=a%26b&sort=-errors`,
    );

    await client.getOwnershipReport(undefined, { offset: 100 });
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/ownership/report?offset=100`,
    );

    await client.getOwnedStages('group:default/ml-team', { sort: 'stage' });
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/stages?owner=group%3Adefault%2Fml-team&sort=stage`,
    );
  });

  it('passes the owner of the owned stages as an encoded query parameter', async () => {
    const { client, fetch } = setup();

    await client.getOwnedStages('user:default/jane doe');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/stages?owner=user%3Adefault%2Fjane%20doe`,
    );
  });

  it('asks for the dashboard of a pipeline over the given time range', async () => {
    const { client, fetch } = setup(() => jsonResponse({ series: [] }));

    await expect(
      client.getDashboard('team a', 'support-rag', {
        from: '2025-01-01T00:00:00.000Z',
        to: '2025-01-31T00:00:00.000Z',
      }),
    ).resolves.toEqual({ series: [] });
    expect(fetch).toHaveBeenCalledTimes(1);
    const url = new URL(fetch.mock.calls[0][0]);
    expect(`${url.origin}${url.pathname}`).toBe(
      `${BASE_URL}/pipelines/team%20a/support-rag/dashboard`,
    );
    expect(url.searchParams.get('from')).toBe('2025-01-01T00:00:00.000Z');
    expect(url.searchParams.get('to')).toBe('2025-01-31T00:00:00.000Z');
  });

  it('gets the halt state of a pipeline', async () => {
    const state = { halted: false, reason: null, by: null, at: null };
    const { client, fetch } = setup(() => jsonResponse(state));

    await expect(client.getHaltState('default', 'rag/x')).resolves.toEqual(
      state,
    );
    expect(fetch).toHaveBeenCalledWith(
      `${BASE_URL}/pipelines/default/rag%2Fx/halt`,
    );
  });

  it.each([
    ['haltPipeline', 'halt'],
    ['resumePipeline', 'resume'],
  ] as const)('%s POSTs the reason as JSON to /%s', async (method, action) => {
    const state = {
      halted: action === 'halt',
      reason: 'bad answers',
      by: 'user:default/jane',
      at: '2025-01-02T03:04:05.000Z',
    };
    const { client, fetch } = setup(() => jsonResponse(state));

    await expect(
      client[method]('default', 'support-rag', 'bad answers'),
    ).resolves.toEqual(state);
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BASE_URL}/pipelines/default/support-rag/${action}`);
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual({ reason: 'bad answers' });
  });

  it('retries the enforcement of a halt with a bodiless POST to /halt/retry', async () => {
    const state = {
      halted: true,
      reason: 'bad answers',
      by: 'user:default/jane',
      at: '2025-01-02T03:04:05.000Z',
      enforcement: [
        {
          enforcer: 'webhook',
          target: 'https://pager.example',
          status: 'applied',
          message: '204 No Content',
        },
      ],
    };
    const { client, fetch } = setup(() => jsonResponse(state));

    await expect(
      client.retryHaltEnforcement('default', 'rag/x'),
    ).resolves.toEqual(state);
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${BASE_URL}/pipelines/default/rag%2Fx/halt/retry`);
    expect(init).toEqual({ method: 'POST' });
  });

  it('sends override: true with a resume only when asked to', async () => {
    const state = { halted: false, reason: 'ok', by: 'user:default/jane' };
    const { client, fetch } = setup(() => jsonResponse(state));

    await client.resumePipeline('default', 'kb', 'ok', { override: true });
    await client.resumePipeline('default', 'kb', 'ok', { override: false });
    await client.resumePipeline('default', 'kb', 'ok', {});
    await client.resumePipeline('default', 'kb', 'ok');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(
      Array(4).fill(`${BASE_URL}/pipelines/default/kb/resume`),
    );
    expect(fetch.mock.calls.map(([, init]) => JSON.parse(init.body))).toEqual([
      { reason: 'ok', override: true },
      { reason: 'ok' },
      { reason: 'ok' },
      { reason: 'ok' },
    ]);
  });

  it("throws a ResponseError with the backend's message when a policy keeps the pipeline halted (409)", async () => {
    const message =
      'aipipeline:default/kb-answers stays halted: its policy (spec.governance.haltOn) halted it on SLO answer-accuracy, which is still breached. Resume with override: true to resume it anyway.';
    const { client } = setup(() =>
      jsonResponse(
        {
          error: { name: 'ConflictError', message },
          response: { statusCode: 409 },
        },
        409,
        'Conflict',
      ),
    );

    const error = await client
      .resumePipeline('default', 'kb-answers', 'fixed')
      .then(
        () => undefined,
        e => e,
      );
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(409);
    expect((error as ResponseError).cause.name).toBe('ConflictError');
    expect((error as ResponseError).cause.message).toBe(message);
  });

  it('throws a ResponseError when halting is forbidden', async () => {
    const body = {
      error: { name: 'NotAllowedError', message: 'Unauthorized' },
      response: { statusCode: 403 },
    };
    const { client } = setup(() => jsonResponse(body, 403, 'Forbidden'));

    const error = await client.haltPipeline('default', 'rag', 'why').then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(403);
    expect((error as ResponseError).cause.name).toBe('NotAllowedError');
  });

  it('lists audit events, filtering by entity ref and limit when given', async () => {
    const items = [{ id: '1', type: 'pipeline.halted' }];
    const { client, fetch } = setup(() => jsonResponse({ items }));

    await expect(client.listAudit()).resolves.toEqual({ items });
    expect(fetch).toHaveBeenLastCalledWith(`${BASE_URL}/audit`);

    await client.listAudit({ entityRef: 'aipipeline:default/a&b', limit: 50 });
    const url = new URL(fetch.mock.calls[1][0]);
    expect(url.pathname).toBe('/api/ai-platform/audit');
    expect(url.searchParams.get('entityRef')).toBe('aipipeline:default/a&b');
    expect(url.searchParams.get('limit')).toBe('50');

    await client.listAudit({ limit: 10 });
    expect(fetch).toHaveBeenLastCalledWith(`${BASE_URL}/audit?limit=10`);
  });

  it('asks for spend over a range grouped by a dimension, without a team filter', async () => {
    const spend = {
      currency: 'USD',
      total: 12.5,
      items: [],
      unattributed: { costUsd: 0, requests: 0, items: [] },
    };
    const { client, fetch } = setup(() => jsonResponse(spend));

    await expect(
      client.getSpend({
        from: '2025-03-01T00:00:00.000Z',
        to: '2025-03-31T00:00:00.000Z',
        groupBy: 'team',
        // Meaningless without a team: not sent.
        includeSubteams: true,
      }),
    ).resolves.toEqual(spend);
    expect(fetch).toHaveBeenCalledWith(
      `${BASE_URL}/spend?from=2025-03-01T00%3A00%3A00.000Z&to=2025-03-31T00%3A00%3A00.000Z&groupBy=team`,
    );
  });

  it('encodes the team of a spend query and sends includeSubteams as true or false', async () => {
    const { client, fetch } = setup();
    const range = {
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-31T00:00:00.000Z',
    };

    await client.getSpend({
      ...range,
      groupBy: 'team',
      team: 'group:default/ml team&x=1',
      includeSubteams: true,
    });
    let url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/ai-platform/spend');
    expect(fetch.mock.calls[0][0]).toContain(
      'team=group%3Adefault%2Fml+team%26x%3D1',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      ...range,
      groupBy: 'team',
      team: 'group:default/ml team&x=1',
      includeSubteams: 'true',
    });

    await client.getSpend({
      ...range,
      groupBy: 'service',
      team: 'group:default/ml-team',
      includeSubteams: false,
    });
    url = new URL(fetch.mock.calls[1][0]);
    expect(url.searchParams.get('groupBy')).toBe('service');
    expect(url.searchParams.get('includeSubteams')).toBe('false');

    await client.getSpend({
      ...range,
      groupBy: 'model',
      team: 'group:default/ml-team',
    });
    url = new URL(fetch.mock.calls[2][0]);
    expect(url.searchParams.get('groupBy')).toBe('model');
    expect(url.searchParams.has('includeSubteams')).toBe(false);
  });

  it('asks for daily spend with the same parameters at /spend/daily', async () => {
    const daily = { currency: 'USD', groupBy: 'model', items: [] };
    const { client, fetch } = setup(() => jsonResponse(daily));

    await expect(
      client.getDailySpend({
        from: '2025-03-01T00:00:00.000Z',
        to: '2025-03-31T00:00:00.000Z',
        groupBy: 'model',
        team: 'group:default/ml-team',
        includeSubteams: true,
      }),
    ).resolves.toEqual(daily);
    const url = new URL(fetch.mock.calls[0][0]);
    expect(`${url.origin}${url.pathname}`).toBe(`${BASE_URL}/spend/daily`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-31T00:00:00.000Z',
      groupBy: 'model',
      team: 'group:default/ml-team',
      includeSubteams: 'true',
    });
  });

  it('asks for the budget of an entity ref, encoded', async () => {
    const budget = {
      entityRef: 'aipipeline:default/support-rag',
      budget: null,
      monthToDateUsd: 1,
      forecastUsd: 2,
    };
    const { client, fetch } = setup(() => jsonResponse(budget));

    await expect(
      client.getSpendBudget('aipipeline:default/support-rag'),
    ).resolves.toEqual(budget);
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/spend/budget?entityRef=aipipeline%3Adefault%2Fsupport-rag`,
    );

    await client.getSpendBudget('group:default/a&b=c#d');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/spend/budget?entityRef=group%3Adefault%2Fa%26b%3Dc%23d`,
    );
  });

  it('asks for the unpriced models over a range', async () => {
    const unpriced = {
      items: [{ model: 'my-model', provider: null, requests: 3 }],
    };
    const { client, fetch } = setup(() => jsonResponse(unpriced));

    await expect(
      client.getUnpricedModels({
        from: '2025-03-01T00:00:00.000Z',
        to: '2025-03-31T00:00:00.000Z',
      }),
    ).resolves.toEqual(unpriced);
    const url = new URL(fetch.mock.calls[0][0]);
    expect(`${url.origin}${url.pathname}`).toBe(`${BASE_URL}/spend/unpriced`);
    expect(url.searchParams.get('from')).toBe('2025-03-01T00:00:00.000Z');
    expect(url.searchParams.get('to')).toBe('2025-03-31T00:00:00.000Z');
  });

  it('asks for the scaffolder options of an owner, encoded', async () => {
    const options = {
      owner: 'group:default/ml-team',
      models: ['gpt-4o'],
      gpu: { flavors: [], quota: 8, currentUse: 6 },
    };
    const { client, fetch } = setup(() => jsonResponse(options));

    await expect(
      client.getScaffolderOptions('group:default/ml-team'),
    ).resolves.toEqual(options);
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/scaffolder/options?owner=group%3Adefault%2Fml-team`,
    );

    await client.getScaffolderOptions('group:default/a&b=c#d');
    expect(fetch).toHaveBeenLastCalledWith(
      `${BASE_URL}/scaffolder/options?owner=group%3Adefault%2Fa%26b%3Dc%23d`,
    );
  });

  it('throws a ResponseError with status 403 when spend is not allowed', async () => {
    const body = {
      error: { name: 'NotAllowedError', message: 'Unauthorized' },
      response: { statusCode: 403 },
    };
    const { client } = setup(() => jsonResponse(body, 403, 'Forbidden'));

    const error = await client
      .getSpend({ from: 'a', to: 'b', groupBy: 'team' })
      .then(
        () => undefined,
        e => e,
      );
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(403);
  });

  it('throws a ResponseError whose cause carries the backend error on a 404', async () => {
    const body = {
      error: {
        name: 'NotFoundError',
        message: 'No AIPipeline aipipeline:default/missing',
      },
      response: { statusCode: 404 },
    };
    const { client } = setup(() => jsonResponse(body, 404, 'Not Found'));

    const error = await client.getPipelineOwnership('default', 'missing').then(
      () => undefined,
      e => e,
    );

    expect(error).toBeInstanceOf(ResponseError);
    const responseError = error as ResponseError;
    expect(responseError.name).toBe('ResponseError');
    expect(responseError.statusCode).toBe(404);
    expect(responseError.message).toBe('Request failed with 404 Not Found');
    expect(responseError.body.error).toEqual(body.error);
    expect(responseError.cause.name).toBe('NotFoundError');
    expect(responseError.cause.message).toBe(
      'No AIPipeline aipipeline:default/missing',
    );
  });

  it('throws a ResponseError on a non-JSON error response too', async () => {
    const { client } = setup(
      () =>
        new Response('upstream exploded', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'Content-Type': 'text/plain' },
        }),
    );

    const error = await client.listPipelines().then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).statusCode).toBe(502);
  });
});
