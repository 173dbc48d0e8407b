import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { PipelineCatalog } from '../../shared/catalog/PipelineCatalog';
import { pipelineView } from '../../__testUtils__/pipelineView';
import { SignalPoint } from '@aiplatform/plugin-ai-platform-node';
import { SignalSink } from '../SignalStore';
import {
  DEFAULT_PROMETHEUS_SCHEDULE,
  PrometheusCollector,
} from './PrometheusCollector';
import {
  PROMETHEUS_COLLECTOR_TASK_ID,
  schedulePrometheusCollector,
} from './schedulePrometheusCollector';

// 2024-05-01T12:34:56.789Z
const NOW = Date.UTC(2024, 4, 1, 12, 34, 56, 789);
const NOW_S = NOW / 1000;
const MINUTE = Date.UTC(2024, 4, 1, 12, 34);

type PromBody = Record<string, unknown>;
type Reply = { status?: number; body: PromBody | string } | Error;

const vector = (...values: Array<[number, string]>): Reply => ({
  body: {
    status: 'success',
    data: {
      resultType: 'vector',
      result: values.map(([ts, v], i) => ({
        metric: { instance: `i${i}` },
        value: [ts, v],
      })),
    },
  },
});
const scalar = (ts: number, v: string): Reply => ({
  body: { status: 'success', data: { resultType: 'scalar', result: [ts, v] } },
});
const promError = (
  status: number,
  errorType: string,
  error: string,
): Reply => ({
  status,
  body: { status: 'error', errorType, error },
});

/** A fetch answering per PromQL query; records every URL it was asked. */
function fakeFetch(replies: Record<string, Reply>) {
  const fn = jest.fn(
    async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      const query = url.searchParams.get('query') ?? '';
      const reply = replies[query];
      if (!reply) throw new Error(`unexpected query ${query}`);
      if (reply instanceof Error) throw reply;
      void init;
      const status = reply.status ?? 200;
      const text =
        typeof reply.body === 'string'
          ? reply.body
          : JSON.stringify(reply.body);
      return {
        ok: status >= 200 && status < 300,
        status,
        statusText: status === 200 ? 'OK' : 'Error',
        text: async () => text,
      } as Response;
    },
  );
  return fn;
}

function recordingSink() {
  const batches: SignalPoint[][] = [];
  const sink: SignalSink & { batches: SignalPoint[][] } = {
    batches,
    insertSignals: jest.fn(async (points: SignalPoint[]) => {
      batches.push(points);
      return { inserted: points.length };
    }),
  };
  return sink;
}

function pipelineEntity(
  name: string,
  spec: {
    stages?: Array<{
      name: string;
      metrics?: Array<{ signal: string; query: string }>;
    }>;
    metrics?: Array<{ signal: string; query: string }>;
  },
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'ai-platform.io/v1alpha1',
    kind: 'AIPipeline',
    metadata: { name, namespace },
    spec: {
      type: 'rag',
      lifecycle: 'production',
      owner: 'group:default/ml-team',
      stages: (spec.stages ?? [{ name: 'serve' }]).map(s => ({
        type: 'other',
        ...s,
      })),
      ...(spec.metrics ? { metrics: spec.metrics } : {}),
    },
  };
}

function setup(entities: Entity[], replies: Record<string, Reply>) {
  const catalog = catalogServiceMock({ entities });
  const auth = mockServices.auth();
  const pipelines = new PipelineCatalog({
    catalog,
    auth,
    logger: mockServices.logger.mock(),
  });
  const logger = mockServices.logger.mock();
  const sink = recordingSink();
  const fetch = fakeFetch(replies);
  const collector = new PrometheusCollector({
    baseUrl: 'http://prom.test:9090/',
    pipelines,
    logger,
    sink,
    fetch: fetch as unknown as typeof globalThis.fetch,
  });
  return { catalog, auth, logger, sink, fetch, collector };
}

describe('PrometheusCollector', () => {
  it('queries the instant API at `now` for the stage and pipeline metrics of the catalog view, read with the plugin credentials', async () => {
    const { collector, fetch, sink, auth, catalog } = setup(
      [
        pipelineEntity(
          'Support-Answers',
          {
            stages: [
              {
                name: 'ingest',
                metrics: [
                  { signal: 'freshness', query: 'lag_seconds{stage="ingest"}' },
                ],
              },
              { name: 'serve' },
            ],
            metrics: [{ signal: 'accuracy', query: 'answer_accuracy' }],
          },
          'Prod',
        ),
      ],
      {
        'lag_seconds{stage="ingest"}': vector([NOW_S, '43200']),
        answer_accuracy: vector([NOW_S, '0.71']),
      },
    );
    const getCredentials = jest.spyOn(auth, 'getOwnServiceCredentials');
    const stream = jest.spyOn(catalog, 'streamEntities');

    const result = await collector.collect(NOW);

    expect(result).toEqual({ queries: 2, points: 2, errors: 0 });
    expect(getCredentials).toHaveBeenCalled();
    const credentials = await getCredentials.mock.results[0].value;
    // The catalog view reads the pipelines as the plugin.
    expect(stream).toHaveBeenCalledWith(
      expect.objectContaining({ filter: { kind: 'AIPipeline' } }),
      { credentials },
    );

    expect(fetch).toHaveBeenCalledTimes(2);
    const urls = fetch.mock.calls.map(([u]) => new URL(String(u)));
    for (const url of urls) {
      expect(url.origin).toBe('http://prom.test:9090');
      expect(url.pathname).toBe('/api/v1/query');
      expect(url.searchParams.get('time')).toBe(String(NOW_S));
    }
    expect(urls.map(u => u.searchParams.get('query')).sort()).toEqual([
      'answer_accuracy',
      'lag_seconds{stage="ingest"}',
    ]);
    // the query is URL-encoded, not pasted raw
    expect(String(fetch.mock.calls[0][0])).not.toContain('{stage="ingest"}');

    expect(sink.insertSignals).toHaveBeenCalledTimes(1);
    expect(sink.batches[0]).toEqual([
      {
        pipeline: 'aipipeline:prod/support-answers',
        stage: 'ingest',
        signal: 'freshness',
        value: 43200,
        ts: MINUTE,
        source: 'prometheus',
      },
      {
        pipeline: 'aipipeline:prod/support-answers',
        stage: '',
        signal: 'accuracy',
        value: 0.71,
        ts: MINUTE,
        source: 'prometheus',
      },
    ]);
  });

  it('turns a scalar into one point and several series into their mean', async () => {
    const { collector, sink } = setup(
      [
        pipelineEntity('p', {
          stages: [
            {
              name: 'serve',
              metrics: [
                { signal: 'latency', query: 'scalar(lat)' },
                { signal: 'availability', query: 'up_ratio' },
              ],
            },
          ],
        }),
      ],
      {
        'scalar(lat)': scalar(NOW_S, '0.25'),
        up_ratio: vector([NOW_S, '1'], [NOW_S, '0.5'], [NOW_S, '0.9']),
      },
    );

    await collector.collect(NOW);

    expect(sink.batches[0]).toEqual([
      expect.objectContaining({
        signal: 'latency',
        stage: 'serve',
        value: 0.25,
      }),
      expect.objectContaining({
        signal: 'availability',
        stage: 'serve',
        value: expect.closeTo(0.8, 10),
      }),
    ]);
  });

  it('skips NaN and ±Inf samples, and empty results, without counting errors', async () => {
    const { collector, sink } = setup(
      [
        pipelineEntity('p', {
          stages: [
            {
              name: 'serve',
              metrics: [
                { signal: 'latency', query: 'nan' },
                { signal: 'cost', query: 'inf' },
                { signal: 'quality', query: 'mixed' },
                { signal: 'availability', query: 'empty' },
              ],
            },
          ],
          metrics: [{ signal: 'accuracy', query: 'scalar_nan' }],
        }),
      ],
      {
        nan: vector([NOW_S, 'NaN']),
        inf: vector([NOW_S, '+Inf'], [NOW_S, '-Inf']),
        mixed: vector([NOW_S, 'NaN'], [NOW_S, '0.4'], [NOW_S, '+Inf']),
        empty: vector(),
        scalar_nan: scalar(NOW_S, 'NaN'),
      },
    );

    const result = await collector.collect(NOW);

    expect(result).toEqual({ queries: 5, points: 1, errors: 0 });
    expect(sink.batches).toEqual([
      [expect.objectContaining({ signal: 'quality', value: 0.4 })],
    ]);
  });

  it('does not call the sink when there is nothing to write', async () => {
    const { collector, sink } = setup(
      [
        pipelineEntity('p', {
          metrics: [{ signal: 'accuracy', query: 'empty' }],
        }),
      ],
      { empty: vector() },
    );
    expect(await collector.collect(NOW)).toEqual({
      queries: 1,
      points: 0,
      errors: 0,
    });
    expect(sink.insertSignals).not.toHaveBeenCalled();
  });

  it('floors timestamps to the minute, so two runs in the same minute write the same keys', async () => {
    const entities = [
      pipelineEntity('p', {
        metrics: [{ signal: 'accuracy', query: 'acc' }],
      }),
    ];
    const first = setup(entities, { acc: vector([NOW_S, '0.9']) });
    const second = setup(entities, { acc: vector([NOW_S + 2.5, '0.9']) });
    const nextMinute = setup(entities, {
      acc: vector([(MINUTE + 60_000) / 1000 + 0.001, '0.9']),
    });

    await first.collector.collect(NOW);
    await second.collector.collect(NOW + 2500);
    await nextMinute.collector.collect(MINUTE + 60_001);

    expect(first.sink.batches[0][0].ts).toBe(MINUTE);
    expect(second.sink.batches[0]).toEqual(first.sink.batches[0]);
    expect(nextMinute.sink.batches[0][0].ts).toBe(MINUTE + 60_000);
  });

  it('uses the sample timestamp Prometheus returns, not `now`', async () => {
    const { collector, sink } = setup(
      [pipelineEntity('p', { metrics: [{ signal: 'accuracy', query: 'a' }] })],
      { a: vector([NOW_S - 3600, '0.5']) },
    );
    await collector.collect(NOW);
    expect(sink.batches[0][0].ts).toBe(MINUTE - 3_600_000);
  });

  it('logs and counts failing queries without stopping the others', async () => {
    const { collector, sink, logger } = setup(
      [
        pipelineEntity('p', {
          stages: [
            {
              name: 'ingest',
              metrics: [
                { signal: 'freshness', query: 'sum(' },
                { signal: 'quality', query: 'down' },
                { signal: 'latency', query: 'proxy' },
                { signal: 'cost', query: 'range[5m]' },
              ],
            },
          ],
          metrics: [{ signal: 'accuracy', query: 'ok' }],
        }),
      ],
      {
        'sum(': promError(
          400,
          'bad_data',
          'invalid parameter "query": 1:5: parse error: unexpected end of input',
        ),
        down: new TypeError('fetch failed'),
        proxy: { status: 502, body: '<html>Bad Gateway</html>' },
        'range[5m]': {
          body: {
            status: 'success',
            data: { resultType: 'matrix', result: [] },
          },
        },
        ok: vector([NOW_S, '0.8']),
      },
    );

    const result = await collector.collect(NOW);

    expect(result).toEqual({ queries: 5, points: 1, errors: 4 });
    expect(sink.batches).toEqual([
      [expect.objectContaining({ stage: '', signal: 'accuracy', value: 0.8 })],
    ]);
    expect(logger.warn).toHaveBeenCalledTimes(4);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('parse error: unexpected end of input'),
      {
        pipeline: 'aipipeline:default/p',
        stage: 'ingest',
        signal: 'freshness',
        query: 'sum(',
        error:
          'HTTP 400, bad_data: invalid parameter "query": 1:5: parse error: unexpected end of input',
      },
    );
    const messages = logger.warn.mock.calls.map(([m]) => m);
    const parseError = messages.find(m => m.includes('parse error'));
    expect(parseError).toContain('aipipeline:default/p stage ingest');
    expect(parseError).toContain('signal freshness');
    expect(parseError).toContain('query "sum("');
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('fetch failed'),
        expect.stringContaining('HTTP 502 Error: <html>Bad Gateway</html>'),
        expect.stringContaining('unsupported result type "matrix"'),
      ]),
    );
  });

  it('skips invalid AIPipelines and reads every valid one', async () => {
    const invalid = pipelineEntity('broken', {
      metrics: [{ signal: 'accuracy', query: 'x' }],
    });
    (invalid.spec as Record<string, unknown>).stages = [];
    const { collector, sink, fetch } = setup(
      [
        invalid,
        pipelineEntity('a', { metrics: [{ signal: 'accuracy', query: 'a' }] }),
        pipelineEntity('b', { metrics: [{ signal: 'accuracy', query: 'b' }] }),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'c' },
          spec: { metrics: [{ signal: 'accuracy', query: 'x' }] },
        },
      ],
      { a: vector([NOW_S, '0.1']), b: vector([NOW_S, '0.2']) },
    );

    expect(await collector.collect(NOW)).toEqual({
      queries: 2,
      points: 2,
      errors: 0,
    });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(sink.batches[0].map(p => [p.pipeline, p.value])).toEqual([
      ['aipipeline:default/a', 0.1],
      ['aipipeline:default/b', 0.2],
    ]);
  });

  it('keeps one point when two queries give the same key', async () => {
    const { collector, sink, logger } = setup(
      [
        pipelineEntity('p', {
          metrics: [
            { signal: 'accuracy', query: 'first' },
            { signal: 'accuracy', query: 'second' },
          ],
        }),
      ],
      { first: vector([NOW_S, '0.1']), second: vector([NOW_S, '0.2']) },
    );
    expect(await collector.collect(NOW)).toMatchObject({ points: 1 });
    expect(sink.batches[0]).toEqual([expect.objectContaining({ value: 0.1 })]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('keeping the first'),
    );
  });

  it('rejects when the sink fails', async () => {
    const { collector, sink } = setup(
      [pipelineEntity('p', { metrics: [{ signal: 'accuracy', query: 'a' }] })],
      { a: vector([NOW_S, '0.5']) },
    );
    (sink.insertSignals as jest.Mock).mockRejectedValueOnce(
      new Error('db down'),
    );
    await expect(collector.collect(NOW)).rejects.toThrow('db down');
  });

  it('writes nothing when the run is cancelled', async () => {
    const { collector, sink } = setup(
      [pipelineEntity('p', { metrics: [{ signal: 'accuracy', query: 'a' }] })],
      { a: vector([NOW_S, '0.5']) },
    );
    const controller = new AbortController();
    controller.abort();
    await expect(
      collector.collect(NOW, { signal: controller.signal }),
    ).rejects.toThrow();
    expect(sink.insertSignals).not.toHaveBeenCalled();
  });

  describe('fromConfig', () => {
    const deps = () => ({
      pipelines: pipelineView(),
      logger: mockServices.logger.mock(),
      sink: recordingSink(),
    });

    it('returns undefined without aiPlatform.prometheus.baseUrl', () => {
      expect(
        PrometheusCollector.fromConfig(new ConfigReader({}), deps()),
      ).toBeUndefined();
      expect(
        PrometheusCollector.fromConfig(
          new ConfigReader({ aiPlatform: { prometheus: {} } }),
          deps(),
        ),
      ).toBeUndefined();
    });

    it('defaults to every minute with a 50 s timeout', () => {
      const collector = PrometheusCollector.fromConfig(
        new ConfigReader({
          aiPlatform: { prometheus: { baseUrl: 'http://prom:9090' } },
        }),
        deps(),
      );
      expect(collector?.schedule).toEqual(DEFAULT_PROMETHEUS_SCHEDULE);
      expect(DEFAULT_PROMETHEUS_SCHEDULE).toEqual({
        frequency: { minutes: 1 },
        timeout: { seconds: 50 },
      });
    });

    it('reads the schedule and uses the base URL', async () => {
      const fetch = fakeFetch({ a: vector([NOW_S, '1']) });
      const d = deps();
      d.pipelines = pipelineView([
        pipelineEntity('p', {
          metrics: [{ signal: 'accuracy', query: 'a' }],
        }),
      ]);
      const collector = PrometheusCollector.fromConfig(
        new ConfigReader({
          aiPlatform: {
            prometheus: {
              baseUrl: 'https://prom.example.com/prometheus',
              schedule: {
                frequency: { minutes: 5 },
                timeout: { minutes: 2 },
                initialDelay: { seconds: 30 },
              },
            },
          },
        }),
        { ...d, fetch: fetch as unknown as typeof globalThis.fetch },
      );
      expect(collector?.schedule).toEqual({
        frequency: { minutes: 5 },
        timeout: { minutes: 2 },
        initialDelay: { seconds: 30 },
      });
      await collector!.collect(NOW);
      expect(String(fetch.mock.calls[0][0])).toMatch(
        /^https:\/\/prom\.example\.com\/prometheus\/api\/v1\/query\?/,
      );
    });

    it('rejects a base URL that is not http(s)', () => {
      expect(() =>
        PrometheusCollector.fromConfig(
          new ConfigReader({
            aiPlatform: { prometheus: { baseUrl: 'prom:9090' } },
          }),
          deps(),
        ),
      ).toThrow(/aiPlatform\.prometheus\.baseUrl/);
    });
  });
});

describe('schedulePrometheusCollector', () => {
  it('registers a global task that collects into the sink', async () => {
    const scheduler = mockServices.scheduler.mock();
    const sink = recordingSink();
    const fetch = fakeFetch({ a: vector([Date.now() / 1000, '0.5']) });
    const collector = await schedulePrometheusCollector({
      config: new ConfigReader({
        aiPlatform: { prometheus: { baseUrl: 'http://prom:9090' } },
      }),
      scheduler,
      pipelines: pipelineView([
        pipelineEntity('p', {
          metrics: [{ signal: 'accuracy', query: 'a' }],
        }),
      ]),
      logger: mockServices.logger.mock(),
      sink,
      fetch: fetch as unknown as typeof globalThis.fetch,
    });

    expect(collector).toBeInstanceOf(PrometheusCollector);
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: PROMETHEUS_COLLECTOR_TASK_ID,
      frequency: { minutes: 1 },
      timeout: { seconds: 50 },
    });
    expect(task.id).toBe('ai-platform-prometheus-collector');
    expect(task.scope).toBeUndefined(); // the scheduler's default: global

    await task.fn(new AbortController().signal);
    expect(sink.batches).toEqual([
      [
        expect.objectContaining({
          pipeline: 'aipipeline:default/p',
          value: 0.5,
        }),
      ],
    ]);
  });

  it('schedules nothing when Prometheus is not configured', async () => {
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    const collector = await schedulePrometheusCollector({
      config: new ConfigReader({}),
      scheduler,
      pipelines: pipelineView(),
      logger,
      sink: recordingSink(),
    });
    expect(collector).toBeUndefined();
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('disabled'),
    );
  });
});
