import {
  AI_PLATFORM_PIPELINES_CHANNEL,
  AiPlatformPipelinesSignal,
  DailySpendResponse,
  PipelineDashboard,
  SpendResponse,
} from '@aiplatform/plugin-ai-platform-common';
import { SignalApi } from '@backstage/plugin-signals-react';
import {
  AppHistoryApi,
  ApiHolder,
  coreApis,
} from '@backstage/frontend-plugin-api';
import { ReactNode, createElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { AiPlatformApi, SpendQuery } from './api/AiPlatformApi';
import { AiPlatformClient } from './api/AiPlatformClient';

/**
 * An AiPlatformApi whose every method is a `jest.fn()`; tests override the
 * ones they need. Only for tests.
 */
export function mockAiPlatformApi(
  overrides: Partial<jest.Mocked<AiPlatformApi>> = {},
): jest.Mocked<AiPlatformApi> {
  return {
    listPipelines: jest.fn(),
    getPipelineOwnership: jest.fn(),
    getOwnershipReport: jest.fn(),
    getOwnedStages: jest.fn(),
    getDashboard: jest.fn(),
    getHaltState: jest.fn(),
    haltPipeline: jest.fn(),
    resumePipeline: jest.fn(),
    retryHaltEnforcement: jest.fn(),
    listAudit: jest.fn(),
    getSpend: jest.fn(),
    getDailySpend: jest.fn(),
    getSpendBudget: jest.fn(),
    getUnpricedModels: jest.fn(),
    getScaffolderOptions: jest.fn(),
    ...overrides,
  };
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * A dashboard over the 3 days before `to`: freshness of two stages and end
 * to end, accuracy end to end, cost of one stage; an SLO on freshness and
 * one on accuracy. Only for tests.
 */
export function dashboardFixture(
  overrides: Partial<PipelineDashboard> = {},
): PipelineDashboard {
  const to = Date.parse('2025-03-31T00:00:00.000Z');
  const days = [3, 2, 1].map(n => new Date(to - n * DAY).toISOString());
  const buckets = (values: number[]) =>
    values.map((avg, i) => ({
      t: days[i],
      avg,
      min: avg,
      max: avg,
      count: 24,
    }));
  return {
    pipeline: 'aipipeline:default/support-rag',
    from: new Date(to - 30 * DAY).toISOString(),
    to: new Date(to).toISOString(),
    series: [
      {
        signal: 'freshness',
        stage: 'ingest',
        resolution: 'day',
        buckets: buckets([1800, 3600, 7200]),
      },
      {
        signal: 'freshness',
        stage: 'embed',
        resolution: 'day',
        buckets: buckets([3600, 10800, 43200]),
      },
      {
        signal: 'freshness',
        stage: null,
        resolution: 'day',
        buckets: buckets([5400, 14400, 50400]),
      },
      {
        signal: 'accuracy',
        stage: null,
        resolution: 'day',
        buckets: buckets([0.95, 0.93, 0.88]),
      },
      {
        signal: 'cost',
        stage: 'serve',
        resolution: 'day',
        buckets: buckets([12.5, 13, 40.25]),
      },
    ],
    slos: [
      {
        name: 'e2e-freshness',
        signal: 'freshness',
        stage: null,
        objective: { op: '<=', threshold: 21600 },
        target: 0.99,
        window: '30d',
        status: 'breached',
        attainment: 0.95,
        errorBudgetRemaining: -0.25,
        burnRates: [
          {
            long: '1h',
            short: '5m',
            threshold: 14.4,
            severity: 'page',
            longRate: 20.5,
            shortRate: 18,
            firing: true,
          },
          {
            long: '6h',
            short: '30m',
            threshold: 6,
            severity: 'page',
            longRate: 0.2,
            shortRate: 0.1,
            firing: false,
          },
        ],
      },
      {
        name: 'answer-accuracy',
        signal: 'accuracy',
        stage: 'serve',
        objective: { op: '>=', threshold: 0.9 },
        target: 0.95,
        window: '30d',
        status: 'at-risk',
        attainment: 0.961,
        errorBudgetRemaining: 0.42,
        burnRates: [
          {
            long: '3d',
            short: '6h',
            threshold: 1,
            severity: 'ticket',
            longRate: null,
            shortRate: null,
            firing: false,
          },
        ],
      },
    ],
    health: 'failing',
    explanation: 'The end-to-end freshness SLO is breached.',
    suspect: {
      stage: 'embed',
      signal: 'freshness',
      reason: 'freshness lag grew from 1 h to 12 h',
    },
    halt: { halted: false, reason: null, by: null, at: null },
    ...overrides,
  };
}

/**
 * The text of a Blob: Node's Blob (the test environment's global) has
 * `text()`, jsdom's only a FileReader. Only for tests.
 */
export function readBlob(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') return blob.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

/**
 * Spend by team: ml-team ($900), search ($300) and attributed usage without
 * a team ($50), listed out of cost order; $250 of unattributed usage named
 * by a key alias, a gateway team id, a tag and nothing. Only for tests.
 */
export function spendFixture(
  overrides: Partial<SpendResponse> = {},
): SpendResponse {
  return {
    currency: 'USD',
    total: 1500,
    items: [
      {
        key: 'group:default/search',
        costUsd: 300,
        inputTokens: 2_000_000,
        outputTokens: 500_000,
        requests: 4000,
      },
      {
        key: 'group:default/ml-team',
        costUsd: 900,
        inputTokens: 12_000_000,
        outputTokens: 3_400_000,
        requests: 12_000,
        unpricedRequests: 5,
      },
      {
        key: '(none)',
        costUsd: 50,
        inputTokens: 100_000,
        outputTokens: 20_000,
        requests: 300,
      },
    ],
    unattributed: {
      costUsd: 250,
      requests: 900,
      items: [
        {
          key: 'prod-key-7',
          keyType: 'key-alias',
          costUsd: 200,
          requests: 700,
        },
        { key: 'team-42', keyType: 'team', costUsd: 40, requests: 150 },
        { key: 'experiment', keyType: 'tag', costUsd: 9.5, requests: 40 },
        { key: 'unknown', keyType: 'unknown', costUsd: 0.5, requests: 10 },
      ],
    },
    unpricedRequests: 5,
    ...overrides,
  };
}

/** Spend of three models over three days in March 2025. Only for tests. */
export function dailySpendFixture(): DailySpendResponse {
  return {
    currency: 'USD',
    groupBy: 'model',
    items: [
      { day: '2025-03-01', key: 'gpt-4o', costUsd: 10, requests: 100 },
      { day: '2025-03-01', key: 'gpt-4.1-mini', costUsd: 2, requests: 300 },
      { day: '2025-03-02', key: 'gpt-4o', costUsd: 12, requests: 110 },
      { day: '2025-03-02', key: 'claude-3.5-sonnet', costUsd: 5, requests: 40 },
      { day: '2025-03-03', key: 'gpt-4o', costUsd: 8, requests: 90 },
      { day: '2025-03-03', key: 'gpt-4.1-mini', costUsd: 1, requests: 150 },
    ],
  };
}

/**
 * Strings the backend may send where an entity ref usually is (actors,
 * owners, refs, spend keys) that are not refs: the backend's own subject,
 * a policy actor, nothing, a kind without a name, a 500-character string
 * and markup. Only for tests.
 */
export const NOT_ENTITY_REFS: ReadonlyArray<string> = [
  'ai-platform',
  'ai-platform (policy answer-accuracy)',
  'ci-ingest',
  '',
  'group:',
  `user:default/${'a'.repeat(487)}`,
  '<script>window.pwned = true</script>',
];

/**
 * Asserts that `value` is shown as text by `EntityRefOrText` in `container`
 * (with `shown` as the visible text, by default the value, cut to 120
 * characters), not as a link, and that no markup of it became an element.
 * Only for tests.
 */
export function expectShownAsText(
  container: HTMLElement,
  value: string,
  shown: string = value,
) {
  const texts = Array.from(
    container.querySelectorAll<HTMLElement>('[data-testid="entity-ref-text"]'),
  );
  const expected =
    (shown || '–').length > 120 ? `${shown.slice(0, 119)}…` : shown || '–';
  const match = texts.find(
    el =>
      el.textContent === expected &&
      (value ? el.getAttribute('title') === value : !el.hasAttribute('title')),
  );
  expect(match).toBeDefined();
  expect(match!.closest('a')).toBeNull();
  expect(container.querySelector('script')).toBeNull();
  expect((window as { pwned?: boolean }).pwned).toBeUndefined();
}

/**
 * The real client over a fake backend: `answer` gets each request's path
 * and query (e.g. `/spend/daily?from=...`) and returns the status and JSON
 * body to answer with. Only for tests.
 */
export function clientAnswering(
  answer: (path: string) => { status: number; body: unknown },
): AiPlatformClient {
  const baseUrl = 'http://backstage.test/api/ai-platform';
  return new AiPlatformClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      fetch: async (input: RequestInfo | URL) => {
        const { status, body } = answer(String(input).slice(baseUrl.length));
        return new Response(JSON.stringify(body), {
          status,
          headers: { 'Content-Type': 'application/json' },
        });
      },
    },
  });
}

/** The body of a 403 as the Backstage backend sends it. Only for tests. */
export function forbiddenBody(message = 'Not allowed to read this spend') {
  return {
    error: { name: 'NotAllowedError', message },
    request: { method: 'GET', url: '/api/ai-platform/spend' },
    response: { statusCode: 403 },
  };
}

/**
 * The app history of an app rendered by `@backstage/frontend-test-utils`
 * (`renderInTestApp`, `renderTestApp`): where it is, and back and forward.
 * Only for tests.
 */
export function appHistoryOf(rendered: { apis: ApiHolder }): AppHistoryApi {
  const history = rendered.apis.get(coreApis.appHistory);
  if (!history) throw new Error('The test app has no app history');
  return history;
}

/** The path and query string the app history of a test app is at. Only for tests. */
export function appUrlOf(rendered: { apis: ApiHolder }): string {
  const { pathname, search } = appHistoryOf(rendered).getSnapshot().location;
  return `${pathname}${search}`;
}

/**
 * Options for `renderInTestApp` of `@backstage/test-utils` (the legacy
 * frontend system): its router at `entries`, with React Router's v7
 * behaviour switched on as apps on React Router 6.30 do (so it prints no
 * future-flag warnings). Only for tests.
 */
export function legacyTestAppOptions(entries: string[] = ['/']) {
  return {
    routeEntries: entries,
    components: {
      Router: ({ children }: { children?: ReactNode }) =>
        createElement(
          MemoryRouter,
          {
            initialEntries: entries,
            future: { v7_startTransition: true, v7_relativeSplatPath: true },
          },
          children,
        ),
    },
  };
}

/**
 * The audit and spend methods the AI Platform page's tabs call, answering
 * one halt event and, for a team, that team's spend.
 */
export function pageApiMethods(): Partial<jest.Mocked<AiPlatformApi>> {
  return {
    listAudit: jest.fn().mockResolvedValue({
      items: [
        {
          id: '1',
          at: '2025-03-01T10:00:00.000Z',
          type: 'pipeline.halted',
          entityRef: 'aipipeline:default/support-rag',
          actor: 'user:default/jane',
          message: 'Answers cite stale docs',
        },
      ],
    }),
    getSpend: jest.fn(async (query: SpendQuery) =>
      spendFixture(
        query.team
          ? {
              items: [
                {
                  key: query.team,
                  costUsd: 900,
                  inputTokens: 1,
                  outputTokens: 1,
                  requests: 1,
                },
              ],
            }
          : {},
      ),
    ),
    getDailySpend: jest.fn().mockResolvedValue(dailySpendFixture()),
    getUnpricedModels: jest.fn().mockResolvedValue({ items: [] }),
  };
}

/**
 * A signal API (`signalApiRef`) whose messages the test sends: `emit` calls
 * the subscribers of a channel (wrap it in `act`). Only for tests.
 */
export function mockSignalApi() {
  const subscribers = new Map<string, Set<(message: unknown) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const listeners = subscribers.get(channel) ?? new Set();
      subscribers.set(channel, listeners);
      const listener = onMessage as (message: unknown) => void;
      listeners.add(listener);
      return { unsubscribe: () => listeners.delete(listener) };
    },
  };
  return {
    api,
    /** How many subscribe to `channel` now. */
    subscriberCount: (channel: string = AI_PLATFORM_PIPELINES_CHANNEL) =>
      subscribers.get(channel)?.size ?? 0,
    /** Sends `message` on `channel`, by default a halt on the pipelines one. */
    emit(
      message: AiPlatformPipelinesSignal = {
        type: 'halt',
        at: new Date().toISOString(),
      },
      channel: string = AI_PLATFORM_PIPELINES_CHANNEL,
    ) {
      subscribers.get(channel)?.forEach(listener => listener(message));
    },
  };
}
