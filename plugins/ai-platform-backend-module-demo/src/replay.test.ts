import { mockServices } from '@backstage/backend-test-utils';
import { IngestionClient, IngestResult } from './IngestionClient';
import { DEMO_PIPELINES } from './demoSignals';
import {
  DEMO_SIGNALS_TASK_ID,
  scheduleDemoSignalReplay,
} from './replayDemoSignals';
import { DEMO_USAGE_TASK_ID, scheduleDemoUsageReplay } from './replayDemoUsage';

const DAY = 86_400_000;

/** An ingestion client whose answers the test decides, per call. */
function fakeIngestion(
  answer: (route: string, body: any) => Promise<IngestResult>,
) {
  const post = jest.fn(answer);
  return { post, client: { post } as unknown as IngestionClient };
}

const received = (count: number) =>
  Promise.resolve({ received: count, inserted: count });
const refused = () =>
  Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:7007'));

describe('the demo usage replay', () => {
  it('retries until the backend answers, then replays once, one day a batch', async () => {
    const scheduler = mockServices.scheduler();
    const logger = mockServices.logger.mock();
    let up = false;
    const { post, client } = fakeIngestion((_route, body) =>
      up ? received(body.records.length) : refused(),
    );
    await scheduleDemoUsageReplay({
      scheduler,
      logger,
      ingestion: client,
      rawRetentionMs: 10 * DAY,
    });

    await scheduler.triggerTask(DEMO_USAGE_TASK_ID);
    expect(logger.info).toHaveBeenLastCalledWith(
      expect.stringMatching(/^Demo usage not replayed yet: .*ECONNREFUSED/),
    );

    up = true;
    post.mockClear();
    await scheduler.triggerTask(DEMO_USAGE_TASK_ID);
    // Days 10 to 0 reach into the window (day 10 only partly).
    expect(post.mock.calls.length).toBeGreaterThanOrEqual(10);
    expect(post.mock.calls.length).toBeLessThanOrEqual(11);
    const oldest = Math.min(
      ...post.mock.calls.flatMap(([, body]: [string, any]) =>
        body.records.map((r: { timestamp: string }) => Date.parse(r.timestamp)),
      ),
    );
    expect(oldest).toBeGreaterThan(Date.now() - 10 * DAY);
    expect(post.mock.calls.every(([route]) => route === '/usage')).toBe(true);
    expect(logger.info).toHaveBeenLastCalledWith(
      expect.stringMatching(/^Replayed \d+ demo usage records \(\d+ new\)$/),
    );

    post.mockClear();
    await scheduler.triggerTask(DEMO_USAGE_TASK_ID);
    expect(post).not.toHaveBeenCalled();
  });
});

describe('the demo signal replay', () => {
  it('retries each pipeline until it is accepted, and sends an accepted one once', async () => {
    const scheduler = mockServices.scheduler();
    const logger = mockServices.logger.mock();
    const late = DEMO_PIPELINES[0];
    let lateKnown = false;
    const { post, client } = fakeIngestion((_route, body) =>
      body.signals[0].pipeline === `aipipeline:default/${late}` && !lateKnown
        ? Promise.reject(
            new Error(`signals[0].pipeline: unknown pipeline ${late}`),
          )
        : received(body.signals.length),
    );
    await scheduleDemoSignalReplay({
      scheduler,
      logger,
      ingestion: client,
      signalMaxAgeMs: 400 * DAY,
    });

    await scheduler.triggerTask(DEMO_SIGNALS_TASK_ID);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        new RegExp(
          `^Demo signals for ${late} not replayed yet: .*unknown pipeline`,
        ),
      ),
    );
    const pipelinesIn = () =>
      new Set(
        post.mock.calls.map(([, body]: [string, any]) =>
          body.signals[0].pipeline.replace('aipipeline:default/', ''),
        ),
      );
    expect(pipelinesIn()).toEqual(new Set(DEMO_PIPELINES));

    lateKnown = true;
    post.mockClear();
    await scheduler.triggerTask(DEMO_SIGNALS_TASK_ID);
    expect(pipelinesIn()).toEqual(new Set([late]));
    expect(logger.info).toHaveBeenLastCalledWith(
      expect.stringMatching(
        new RegExp(`^Replayed \\d+ demo signals for ${late} \\(\\d+ new\\)$`),
      ),
    );

    post.mockClear();
    await scheduler.triggerTask(DEMO_SIGNALS_TASK_ID);
    expect(post).not.toHaveBeenCalled();
  });

  it('leaves out points older than aiPlatform.signals.maxAgeDays, in batches the route accepts', async () => {
    const scheduler = mockServices.scheduler();
    const { post, client } = fakeIngestion((_route, body) =>
      received(body.signals.length),
    );
    await scheduleDemoSignalReplay({
      scheduler,
      logger: mockServices.logger.mock(),
      ingestion: client,
      signalMaxAgeMs: 5 * DAY,
    });
    await scheduler.triggerTask(DEMO_SIGNALS_TASK_ID);
    const points = post.mock.calls.flatMap(
      ([, body]: [string, any]) => body.signals,
    );
    expect(points.length).toBeGreaterThan(0);
    expect(
      Math.min(...points.map((p: { timestamp: number }) => p.timestamp)),
    ).toBeGreaterThan(Date.now() - 5 * DAY);
    expect(
      Math.max(
        ...post.mock.calls.map(
          ([, body]: [string, any]) => body.signals.length,
        ),
      ),
    ).toBeLessThanOrEqual(5_000);
  });
});
