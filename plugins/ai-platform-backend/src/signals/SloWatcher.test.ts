import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SignalPoint } from '@aiplatform/plugin-ai-platform-node';
import { KnexGovernanceStore } from '../governance/KnexGovernanceStore';
import { KnexSignalStore } from './KnexSignalStore';
import { KnexUsageStore } from '../spend/KnexUsageStore';
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
    catalog,
    auth: mockServices.auth(),
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
