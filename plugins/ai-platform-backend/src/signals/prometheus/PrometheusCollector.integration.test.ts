/*
 * Runs the collector against a REAL Prometheus (Debian's `prometheus`
 * package, /usr/bin/prometheus, or the binary in PROMETHEUS_BIN) scraping a
 * tiny exporter served by this test. scripts/test installs the package on a
 * fresh Debian machine; without the binary the suite is skipped, loudly.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { pipelineView } from '../../__testUtils__/pipelineView';
import { SignalPoint } from '@aiplatform/plugin-ai-platform-node';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import fs from 'fs';
import http from 'http';
import net from 'net';
import os from 'os';
import path from 'path';
import { SignalSink } from '../SignalStore';
import { PrometheusCollector } from './PrometheusCollector';

const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN || '/usr/bin/prometheus';
const STARTUP_TIMEOUT_MS = 30_000;

/** Why the real-Prometheus suite cannot run here, or undefined when it can. */
function unavailableReason(): string | undefined {
  if (!fs.existsSync(PROMETHEUS_BIN)) {
    return `${PROMETHEUS_BIN} does not exist (install Debian's "prometheus" package, or set PROMETHEUS_BIN)`;
  }
  const probe = spawnSync(PROMETHEUS_BIN, ['--version'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (probe.error) {
    return `${PROMETHEUS_BIN} cannot start: ${probe.error.message}`;
  }
  if (probe.status !== 0) {
    return `${PROMETHEUS_BIN} --version exited with ${
      probe.status ?? probe.signal
    }: ${(probe.stderr || probe.stdout).trim()}`;
  }
  return undefined;
}

const reason = unavailableReason();
if (reason) {
  // eslint-disable-next-line no-console
  console.warn(
    `SKIPPING PrometheusCollector real-Prometheus integration tests: ${reason}`,
  );
}
const describeIf = reason ? describe.skip : describe;

const EXPORTER_BODY = [
  '# HELP pipeline_ingest_lag_seconds Age of the newest ingested document.',
  '# TYPE pipeline_ingest_lag_seconds gauge',
  'pipeline_ingest_lag_seconds{stage="ingest"} 43200',
  '# HELP pipeline_answer_accuracy Share of answers graded correct.',
  '# TYPE pipeline_answer_accuracy gauge',
  'pipeline_answer_accuracy 0.71',
  '# HELP pipeline_retrieval_latency_seconds Retrieval latency.',
  '# TYPE pipeline_retrieval_latency_seconds gauge',
  'pipeline_retrieval_latency_seconds 0.25',
  '',
].join('\n');

const PIPELINE: Entity = {
  apiVersion: 'ai-platform.io/v1alpha1',
  kind: 'AIPipeline',
  metadata: { name: 'support-answers', namespace: 'default' },
  spec: {
    type: 'rag',
    lifecycle: 'production',
    owner: 'group:default/ml-team',
    stages: [
      {
        name: 'ingest',
        type: 'data-ingestion',
        metrics: [
          {
            signal: 'freshness',
            query: 'pipeline_ingest_lag_seconds{stage="ingest"}',
          },
        ],
      },
      {
        name: 'retrieve',
        type: 'retrieval',
        dependsOn: ['ingest'],
        metrics: [
          // a scalar result
          {
            signal: 'latency',
            query: 'scalar(pipeline_retrieval_latency_seconds)',
          },
          // a PromQL syntax error: Prometheus answers 400 bad_data
          { signal: 'quality', query: 'sum(' },
        ],
      },
      {
        name: 'generate',
        type: 'model',
        dependsOn: ['retrieve'],
        // +Inf: skipped
        metrics: [{ signal: 'cost', query: 'pipeline_answer_accuracy / 0' }],
      },
    ],
    metrics: [{ signal: 'accuracy', query: 'pipeline_answer_accuracy' }],
  },
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describeIf('PrometheusCollector against a real Prometheus', () => {
  let exporter: http.Server | undefined;
  let prometheus: ChildProcess | undefined;
  let prometheusExit: Promise<void> | undefined;
  let tmpDir: string | undefined;
  let baseUrl: string;
  let output = '';

  beforeAll(async () => {
    exporter = http.createServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, {
          'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        });
        res.end(EXPORTER_BODY);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>(resolve =>
      exporter!.listen(0, '127.0.0.1', resolve),
    );
    const exporterPort = (exporter.address() as net.AddressInfo).port;

    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-platform-prometheus-'));
    const configFile = path.join(tmpDir, 'prometheus.yml');
    fs.writeFileSync(
      configFile,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: ai-pipeline-exporter',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${exporterPort}']`,
        '',
      ].join('\n'),
    );

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const child = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(tmpDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus = child;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited: string | undefined;
    prometheusExit = new Promise(resolve => {
      child.on('exit', (code, signal) => {
        exited = `exited with ${code ?? signal}`;
        resolve();
      });
      child.on('error', error => {
        exited = `failed to start: ${error.message}`;
        resolve();
      });
    });

    // Ready, and the exporter's series scraped at least once.
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    let lastProblem = 'not polled yet';
    for (;;) {
      if (exited) {
        throw new Error(
          `Prometheus (${PROMETHEUS_BIN}) ${exited} before becoming ready:\n${output}`,
        );
      }
      try {
        const ready = await fetch(`${baseUrl}/-/ready`);
        if (ready.ok) {
          const res = await fetch(
            `${baseUrl}/api/v1/query?${new URLSearchParams({
              query:
                'count(pipeline_answer_accuracy) + count(pipeline_ingest_lag_seconds)',
            })}`,
          );
          const body = await res.json();
          if (body?.data?.result?.length > 0) break;
          lastProblem = 'ready, but the exporter has not been scraped yet';
        } else {
          lastProblem = `/-/ready answered ${ready.status}`;
        }
      } catch (error) {
        lastProblem = `${error}`;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Prometheus at ${baseUrl} not ready with data after ${STARTUP_TIMEOUT_MS} ms (${lastProblem}):\n${output}`,
        );
      }
      await sleep(250);
    }
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null && !prometheus.killed) {
      prometheus.kill('SIGTERM');
      const killed = await Promise.race([
        prometheusExit!.then(() => true),
        sleep(10_000).then(() => false),
      ]);
      if (!killed) {
        prometheus.kill('SIGKILL');
        await prometheusExit;
      }
    }
    if (exporter) {
      exporter.closeAllConnections();
      await new Promise(resolve => exporter!.close(resolve));
    }
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  }, 30_000);

  it('collects stage and pipeline signals into one batch', async () => {
    const batches: SignalPoint[][] = [];
    const sink: SignalSink = {
      insertSignals: async points => {
        batches.push(points);
        return { inserted: points.length };
      },
    };
    const logger = mockServices.logger.mock();
    const collector = new PrometheusCollector({
      baseUrl,
      pipelines: pipelineView([PIPELINE]),
      logger,
      sink,
    });

    const now = Date.now();
    const result = await collector.collect(now);

    expect(result).toEqual({ queries: 5, points: 3, errors: 1 });
    expect(batches).toHaveLength(1);
    const minute = Math.floor(now / 60_000) * 60_000;
    expect(batches[0]).toEqual([
      {
        pipeline: 'aipipeline:default/support-answers',
        stage: 'ingest',
        signal: 'freshness',
        value: 43200,
        ts: minute,
        source: 'prometheus',
      },
      {
        pipeline: 'aipipeline:default/support-answers',
        stage: 'retrieve',
        signal: 'latency',
        value: 0.25,
        ts: minute,
        source: 'prometheus',
      },
      {
        pipeline: 'aipipeline:default/support-answers',
        stage: '',
        signal: 'accuracy',
        value: 0.71,
        ts: minute,
        source: 'prometheus',
      },
    ]);

    // The broken query is logged with Prometheus' own error message.
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const [message, meta] = logger.warn.mock.calls[0];
    expect(message).toContain('aipipeline:default/support-answers');
    expect(message).toContain('stage retrieve');
    expect(message).toContain('"sum("');
    expect(message).toMatch(/HTTP 400, bad_data: .*parse error/);
    expect(meta).toMatchObject({
      pipeline: 'aipipeline:default/support-answers',
      stage: 'retrieve',
      signal: 'quality',
      query: 'sum(',
    });

    // Same `now` again: the same keys, so the sink stores nothing new.
    await collector.collect(now);
    expect(batches[1]).toEqual(batches[0]);
  });
});
