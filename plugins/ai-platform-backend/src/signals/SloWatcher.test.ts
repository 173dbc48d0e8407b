import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SignalPoint } from '@aiplatform/plugin-ai-platform-node';
import { SloReport } from '@aiplatform/plugin-ai-platform-common';
import { PipelineNotifier } from '../notifications/PipelineNotifier';
import { KnexGovernanceStore } from '../governance/KnexGovernanceStore';
import { KnexSignalStore } from './KnexSignalStore';
import { KnexUsageStore } from '../spend/KnexUsageStore';
import { pipelineView } from '../__testUtils__/pipelineView';
import { inMemoryKnex } from '../__testUtils__/createTestApp';
import {
  SUPPORT_ANSWERS,
  signalsFixture,
} from '../__testUtils__/signalFixtures';
import { DashboardService } from './DashboardService';
import { SloWatcher } from './SloWatcher';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 22, 12);

/** One end-to-end quality point an hour for 10 days; the last `bad` hours below 0.8. */
function quality(bad: number): SignalPoint[] {
  return Array.from({ length: 240 }, (_, i) => ({
    pipeline: SUPPORT_ANSWERS,
    stage: '',
    signal: 'quality' as const,
    value: i >= 240 - bad ? 0.5 : 0.95,
    ts: NOW - (240 - i) * HOUR,
    source: 'test',
  }));
}

async function setup() {
  const database = mockServices.database({ knex: inMemoryKnex() });
  const signals = await KnexSignalStore.create({ database });
  const governance = await KnexGovernanceStore.create({ database });
  const cursors = await KnexUsageStore.create({ database });
  const catalog = catalogServiceMock({ entities: signalsFixture() });
  const watcher = new SloWatcher({
    pipelines: pipelineView(catalog),
    logger: mockServices.logger.mock(),
    dashboards: new DashboardService({
      catalog,
      signals,
      governance,
      // The watcher reads no dashboard: only SLO reports, which hide nothing.
      spendReader: async () => () => true,
    }),
    governance,
    cursors,
  });
  return { signals, governance, watcher };
}

describe('SloWatcher', () => {
  it('writes one slo.breached audit event when an SLO becomes breached, not one per check', async () => {
    const { signals, governance, watcher } = await setup();
    await signals.insertSignals(quality(0));
    expect(await watcher.check(NOW)).toBe(0);

    // 48 bad hours of 240: attainment 80% against a 90% target.
    await signals.insertSignals(
      quality(48)
        .filter(p => p.value < 0.8)
        .map(p => ({ ...p, source: 'late' })),
    );
    expect(await watcher.check(NOW)).toBe(1);
    expect(await watcher.check(NOW)).toBe(0);

    const events = await governance.listAuditEvents({ limit: 10 });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'slo.breached',
        entityRef: SUPPORT_ANSWERS,
        actor: 'ai-platform',
        message: expect.stringMatching(
          /^SLO answer-quality of .+ is breached: [\d.]+% of intervals met quality ≥ 80 % \(target 90\.0%\)$/,
        ),
      }),
    ]);
  });
});

describe('SloWatcher alerts and policy halts', () => {
  const page = {
    long: '1h',
    short: '5m',
    threshold: 14.4,
    severity: 'page' as const,
    longRate: 20,
    shortRate: 25,
    firing: true,
  };
  const report = (status: SloReport['status'], firing: boolean): SloReport => ({
    name: 'answer-quality',
    signal: 'quality',
    stage: null,
    objective: { op: '>=', threshold: 0.8 },
    target: 0.9,
    window: '28d',
    status,
    attainment: 0.95,
    errorBudgetRemaining: 0.5,
    burnRates: [{ ...page, firing }],
  });

  async function watcherWith(haltOn?: Array<{ slo: string; status: string }>) {
    const database = mockServices.database({ knex: inMemoryKnex() });
    const governance = await KnexGovernanceStore.create({ database });
    const cursors = await KnexUsageStore.create({ database });
    const entities = signalsFixture().map(e =>
      e.kind === 'AIPipeline' && haltOn
        ? { ...e, spec: { ...e.spec, governance: { haltOn } } }
        : e,
    );
    let current = report('ok', false);
    const alerts: string[] = [];
    const halts: string[] = [];
    let haltFails = false;
    const watcher = new SloWatcher({
      pipelines: pipelineView(entities),
      logger: mockServices.logger.mock(),
      dashboards: {
        // Only support-answers has this SLO; the fixture's others have none.
        assessSlos: async (p: { metadata: { name: string } }) => ({
          slos:
            `aipipeline:default/${p.metadata.name}` === SUPPORT_ANSWERS
              ? [current]
              : [],
          suspect: null,
        }),
      } as unknown as DashboardService,
      governance,
      cursors,
      notifier: {
        sloAlert: async (_p: unknown, slo: SloReport, level: string) => {
          alerts.push(`${slo.name} ${level}`);
        },
      } as unknown as PipelineNotifier,
      halts: {
        haltByPolicy: async (_p: unknown, slo: SloReport) => {
          if (haltFails) throw new Error('database is down');
          halts.push(`${slo.name} ${slo.status}`);
        },
      },
    });
    return {
      watcher,
      alerts,
      halts,
      set: (next: SloReport) => {
        current = next;
      },
      failHalts: (fail: boolean) => {
        haltFails = fail;
      },
    };
  }

  it('notifies when the alert level rises (page, then breach), not while it lasts or falls, and again after recovery', async () => {
    const { watcher, alerts, set } = await watcherWith();
    set(report('at-risk', true));
    await watcher.check(NOW);
    await watcher.check(NOW);
    set(report('breached', true));
    await watcher.check(NOW);
    set(report('at-risk', true));
    await watcher.check(NOW);
    set(report('ok', false));
    await watcher.check(NOW);
    set(report('at-risk', true));
    await watcher.check(NOW);
    expect(alerts).toEqual([
      'answer-quality page',
      'answer-quality breached',
      'answer-quality page',
    ]);
  });

  it('does not alert on a ticket-level alert or an at-risk budget alone', async () => {
    const { watcher, alerts, set } = await watcherWith();
    set({
      ...report('at-risk', false),
      burnRates: [{ ...page, severity: 'ticket', firing: true }],
    });
    await watcher.check(NOW);
    expect(alerts).toEqual([]);
  });

  it('halts by an at-risk rule once per episode, and tries a failed policy halt again', async () => {
    const { watcher, halts, set, failHalts } = await watcherWith([
      { slo: 'answer-quality', status: 'at-risk' },
    ]);
    set(report('at-risk', false));
    failHalts(true);
    await watcher.check(NOW);
    expect(halts).toEqual([]);
    failHalts(false);
    await watcher.check(NOW);
    // Worse, but the same episode: no second halt.
    set(report('breached', true));
    await watcher.check(NOW);
    set(report('ok', false));
    await watcher.check(NOW);
    set(report('breached', true));
    await watcher.check(NOW);
    expect(halts).toEqual([
      'answer-quality at-risk',
      'answer-quality breached',
    ]);
  });

  it('does not halt on a breached rule while the SLO is only at risk', async () => {
    const { watcher, halts, set } = await watcherWith([
      { slo: 'answer-quality', status: 'breached' },
    ]);
    set(report('at-risk', true));
    await watcher.check(NOW);
    expect(halts).toEqual([]);
  });
});
