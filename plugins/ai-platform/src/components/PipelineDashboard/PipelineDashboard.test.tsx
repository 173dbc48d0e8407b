import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { Entity } from '@backstage/catalog-model';
import {
  HaltState,
  PipelineDashboard as Dashboard,
} from '@aiplatform/plugin-ai-platform-common';
import {
  AiPlatformApi,
  DashboardRange,
  aiPlatformApiRef,
} from '../../api/AiPlatformApi';
import {
  dashboardFixture,
  mockAiPlatformApi,
  mockSignalApi,
} from '../../testUtils';
import {
  PipelineDashboardContent,
  hiddenSignalNote,
} from './PipelineDashboard';

// The halt permission is granted in this whole file (usePermission caches
// its answer per module); HaltControl.denied.test.tsx covers a denial.

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };
const DAY = 24 * 60 * 60 * 1000;

const entity: Entity = {
  apiVersion: 'ai-platform.io/v1alpha1',
  kind: 'AIPipeline',
  metadata: { name: 'support-rag', namespace: 'ml' },
  spec: { type: 'rag', lifecycle: 'production', owner: 'ml-team', stages: [] },
};

function renderDashboard(
  api: AiPlatformApi,
  options: {
    of?: Entity;
    signals?: ReturnType<typeof mockSignalApi>;
  } = {},
) {
  const signals = options.signals;
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [aiPlatformApiRef, api],
        [permissionApiRef, mockApis.permission()],
        ...(signals ? [[signalApiRef, signals.api] as const] : []),
      ]}
    >
      <EntityProvider entity={options.of ?? entity}>
        <PipelineDashboardContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

/** Length in days of the range of a getDashboard call. */
function rangeDays(api: jest.Mocked<AiPlatformApi>, call: number): number {
  const { from, to } = api.getDashboard.mock.calls[call][2];
  return (Date.parse(to) - Date.parse(from)) / DAY;
}

// The halt flow types into a dialog and renders the charts twice; on a
// loaded 2-core CI machine that can take longer than Jest's 5 s default.
jest.setTimeout(30_000);

describe('PipelineDashboardContent', () => {
  it("shows the entity's health, signals and SLOs over the last 30 days", async () => {
    const api = mockAiPlatformApi({
      getDashboard: jest.fn().mockResolvedValue(dashboardFixture()),
    });
    renderDashboard(api);

    const banner = await screen.findByTestId('health-banner');
    expect(banner).toHaveAccessibleName('pipeline health: failing');
    expect(banner).toHaveTextContent(
      'The end-to-end freshness SLO is breached.',
    );
    expect(within(banner).getByTestId('suspect')).toHaveTextContent(
      'stage embed',
    );

    expect(api.getDashboard).toHaveBeenCalledTimes(1);
    expect(api.getDashboard.mock.calls[0].slice(0, 2)).toEqual([
      'ml',
      'support-rag',
    ]);
    expect(rangeDays(api, 0)).toBe(30);
    expect(
      screen.getByRole('button', { name: 'last 30 days' }),
    ).toHaveAttribute('aria-pressed', 'true');

    expect(
      screen
        .getAllByTestId(/^signal-panel-/)
        .map(g => g.getAttribute('aria-label')),
    ).toEqual(['Freshness lag (h)', 'Accuracy (%)', 'Cost per day (USD)']);
    const slos = screen.getByRole('table', { name: 'SLOs' });
    expect(within(slos).getByText('e2e-freshness')).toBeInTheDocument();
    expect(within(slos).getByText('answer-accuracy')).toBeInTheDocument();
  });

  it('refetches with the new range when another one is picked', async () => {
    const api = mockAiPlatformApi({
      getDashboard: jest.fn().mockResolvedValue(dashboardFixture()),
    });
    renderDashboard(api);
    await screen.findByTestId('health-banner');

    await userEvent.click(screen.getByRole('button', { name: 'last 7 days' }));
    await waitFor(() => expect(api.getDashboard).toHaveBeenCalledTimes(2));
    expect(rangeDays(api, 1)).toBe(7);
    const [first, second] = api.getDashboard.mock.calls.map(c => c[2]);
    expect(Date.parse(second.from)).toBeGreaterThan(Date.parse(first.from));
    expect(screen.getByRole('button', { name: 'last 7 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    await userEvent.click(screen.getByRole('button', { name: 'last 90 days' }));
    await waitFor(() => expect(api.getDashboard).toHaveBeenCalledTimes(3));
    expect(rangeDays(api, 2)).toBe(90);
  });

  it('halts the pipeline with a reason, then shows who halted it and offers Resume', async () => {
    const halt: HaltState = {
      halted: true,
      reason: 'answers cite stale docs',
      by: 'user:default/jane',
      at: '2025-03-31T08:00:00.000Z',
    };
    const api = mockAiPlatformApi({
      getDashboard: jest
        .fn()
        .mockResolvedValueOnce(dashboardFixture())
        .mockResolvedValue(dashboardFixture({ health: 'halted', halt })),
      haltPipeline: jest.fn().mockResolvedValue(halt),
    });
    renderDashboard(api);
    await screen.findByTestId('health-banner');

    const button = screen.getByRole('button', { name: 'Halt' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog', {
      name: 'Halt support-rag?',
    });
    expect(within(dialog).getByRole('button', { name: 'Halt' })).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'answers cite stale docs',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Halt' }));

    expect(await screen.findByRole('button', { name: 'Resume' })).toBeEnabled();
    expect(api.haltPipeline).toHaveBeenCalledWith(
      'ml',
      'support-rag',
      'answers cite stale docs',
    );
    const banner = screen.getByTestId('health-banner');
    expect(banner).toHaveAccessibleName('pipeline health: halted');
    expect(within(banner).getByTestId('halt-details')).toHaveTextContent(
      /Halted by jane on .+answers cite stale docs/,
    );
    // The dashboard is refetched for the new health.
    await waitFor(() => expect(api.getDashboard).toHaveBeenCalledTimes(2));
    await waitFor(() =>
      expect(screen.getByTestId('health-banner')).toHaveAccessibleName(
        'pipeline health: halted',
      ),
    );
  });

  it("says cost is hidden, where its chart would be, when the user may not read the owner's spend", async () => {
    const full = dashboardFixture();
    const api = mockAiPlatformApi({
      getDashboard: jest.fn().mockResolvedValue(
        dashboardFixture({
          // As the backend answers: no cost series, no cost SLO.
          series: full.series.filter(s => s.signal !== 'cost'),
          hiddenSignals: ['cost'],
        }),
      ),
    });
    renderDashboard(api);

    const note = await screen.findByTestId('signal-hidden-cost');
    expect(note).toHaveTextContent(
      "Cost is hidden: you need the ai-platform.spend.read permission for ml-team's spend",
    );
    expect(screen.queryByTestId('signal-panel-cost')).not.toBeInTheDocument();
    // In the place of the cost chart: after the other panels, in signal order.
    const order = [
      ...document.querySelectorAll(
        '[data-testid^="signal-panel-"], [data-testid^="signal-hidden-"]',
      ),
    ].map(el => el.getAttribute('data-testid'));
    expect(order).toEqual([
      'signal-panel-freshness',
      'signal-panel-accuracy',
      'signal-hidden-cost',
    ]);
  });

  it('shows no hidden note when nothing is hidden', async () => {
    const api = mockAiPlatformApi({
      getDashboard: jest
        .fn()
        .mockResolvedValue(dashboardFixture({ hiddenSignals: [] })),
    });
    renderDashboard(api);

    expect(await screen.findByTestId('signal-panel-cost')).toBeInTheDocument();
    expect(screen.queryByTestId(/^signal-hidden-/)).not.toBeInTheDocument();
  });

  it('says cost is hidden even when no other signal was reported', async () => {
    const api = mockAiPlatformApi({
      getDashboard: jest.fn().mockResolvedValue(
        dashboardFixture({
          series: [],
          slos: [],
          hiddenSignals: ['cost'],
          health: 'unknown',
          explanation: 'No signals yet.',
          suspect: null,
        }),
      ),
    });
    renderDashboard(api);

    expect(await screen.findByTestId('signals-empty')).toBeInTheDocument();
    expect(screen.getByTestId('signal-hidden-cost')).toHaveTextContent(
      /^Cost is hidden: you need the ai-platform\.spend\.read permission/,
    );
  });

  it('shows the empty state when no signal was reported', async () => {
    const api = mockAiPlatformApi({
      getDashboard: jest.fn().mockResolvedValue(
        dashboardFixture({
          series: [],
          health: 'unknown',
          explanation: 'No signals yet.',
          suspect: null,
        }),
      ),
    });
    renderDashboard(api);

    expect(await screen.findByTestId('signals-empty')).toBeInTheDocument();
    expect(screen.queryAllByTestId(/^signal-panel-/)).toHaveLength(0);
    expect(screen.getByTestId('health-banner')).toHaveAccessibleName(
      'pipeline health: no data',
    );
    expect(screen.getByRole('table', { name: 'SLOs' })).toBeInTheDocument();
  });

  it('shows the error when the dashboard cannot be fetched', async () => {
    const api = mockAiPlatformApi({
      getDashboard: jest
        .fn()
        .mockRejectedValue(new Error('signals store down')),
    });
    renderDashboard(api);

    expect(
      (await screen.findAllByText(/signals store down/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('health-banner')).not.toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'time range' })).toBeVisible();
  });

  it('fetches again on a pipelines signal and shows the new halt, keeping the view meanwhile', async () => {
    const signals = mockSignalApi();
    const answers: Array<(dashboard: Dashboard) => void> = [];
    const api = mockAiPlatformApi({
      getDashboard: jest.fn(
        (_namespace: string, _name: string, _range: DashboardRange) =>
          new Promise<Dashboard>(resolve => answers.push(resolve)),
      ),
    });
    renderDashboard(api, { signals });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    await act(async () => answers[0](dashboardFixture()));
    expect(screen.getByTestId('health-banner')).toHaveAccessibleName(
      'pipeline health: failing',
    );
    expect(await screen.findByRole('button', { name: 'Halt' })).toBeEnabled();

    act(() => signals.emit({ type: 'halt', at: '2025-03-31T08:00:00.000Z' }));
    await waitFor(() => expect(api.getDashboard).toHaveBeenCalledTimes(2));
    // The same pipeline and range length, moved on to end now.
    expect(api.getDashboard.mock.calls[1].slice(0, 2)).toEqual([
      'ml',
      'support-rag',
    ]);
    expect(rangeDays(api, 1)).toBe(30);
    const [first, second] = api.getDashboard.mock.calls.map(c => c[2]);
    expect(second).not.toBe(first);
    expect(Date.parse(second.to)).toBeGreaterThanOrEqual(Date.parse(first.to));
    // While it refetches, the banner and charts stay; no progress bar.
    expect(screen.getByTestId('health-banner')).toHaveAccessibleName(
      'pipeline health: failing',
    );
    expect(screen.getAllByTestId(/^signal-panel-/)).toHaveLength(3);
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();

    const halt: HaltState = {
      halted: true,
      reason: 'SLO answer-accuracy breached',
      by: 'ai-platform (policy answer-accuracy)',
      at: '2025-03-31T08:00:00.000Z',
      policy: { slo: 'answer-accuracy' },
    };
    await act(async () =>
      answers[1](dashboardFixture({ health: 'halted', halt })),
    );
    const banner = screen.getByTestId('health-banner');
    expect(banner).toHaveAccessibleName('pipeline health: halted');
    expect(within(banner).getByTestId('halt-policy')).toHaveTextContent(
      'Halted by policy: SLO answer-accuracy',
    );
    expect(screen.getByRole('button', { name: 'Resume' })).toBeEnabled();
  });

  describe('runbook link', () => {
    const withRunbooks = (spec: NonNullable<Entity['spec']>): Entity => ({
      ...entity,
      spec: { ...entity.spec, ...spec },
    });
    const stages = [
      { name: 'ingest', type: 'ingest', owner: 'ml-team' },
      {
        name: 'embed',
        type: 'embed',
        owner: 'ml-team',
        runbook: 'https://runbooks.example.com/embed',
      },
    ];

    it("links the suspect stage's runbook", async () => {
      const api = mockAiPlatformApi({
        getDashboard: jest.fn().mockResolvedValue(dashboardFixture()),
      });
      renderDashboard(api, {
        of: withRunbooks({
          runbook: 'https://runbooks.example.com/support-rag',
          stages,
        }),
      });
      const banner = await screen.findByTestId('health-banner');
      const link = within(banner).getByRole('link', { name: /^Runbook/ });
      expect(link).toHaveAttribute(
        'href',
        'https://runbooks.example.com/embed',
      );
      expect(link).toHaveAttribute('target', '_blank');
    });

    it("links the pipeline's runbook when the suspect stage has none", async () => {
      const api = mockAiPlatformApi({
        getDashboard: jest.fn().mockResolvedValue(
          dashboardFixture({
            suspect: {
              stage: 'ingest',
              signal: 'freshness',
              reason: 'no new documents for 2 days',
            },
          }),
        ),
      });
      renderDashboard(api, {
        of: withRunbooks({
          runbook: 'https://runbooks.example.com/support-rag',
          stages,
        }),
      });
      const banner = await screen.findByTestId('health-banner');
      expect(
        within(banner).getByRole('link', { name: /^Runbook/ }),
      ).toHaveAttribute('href', 'https://runbooks.example.com/support-rag');
    });

    it("links the pipeline's runbook when it fails without a suspect", async () => {
      const api = mockAiPlatformApi({
        getDashboard: jest
          .fn()
          .mockResolvedValue(dashboardFixture({ suspect: null })),
      });
      renderDashboard(api, {
        of: withRunbooks({
          runbook: 'https://runbooks.example.com/support-rag',
          stages,
        }),
      });
      const banner = await screen.findByTestId('health-banner');
      expect(
        within(banner).getByRole('link', { name: /^Runbook/ }),
      ).toHaveAttribute('href', 'https://runbooks.example.com/support-rag');
    });

    it('links none while the pipeline is healthy', async () => {
      const api = mockAiPlatformApi({
        getDashboard: jest.fn().mockResolvedValue(
          dashboardFixture({
            health: 'healthy',
            explanation: 'All SLOs met.',
            suspect: null,
          }),
        ),
      });
      renderDashboard(api, {
        of: withRunbooks({
          runbook: 'https://runbooks.example.com/support-rag',
          stages,
        }),
      });
      const banner = await screen.findByTestId('health-banner');
      expect(banner).toHaveAccessibleName('pipeline health: healthy');
      expect(within(banner).queryByTestId('runbook')).not.toBeInTheDocument();
    });

    it('links none when neither the stage nor the pipeline has one', async () => {
      const api = mockAiPlatformApi({
        getDashboard: jest.fn().mockResolvedValue(dashboardFixture()),
      });
      renderDashboard(api, {
        of: withRunbooks({
          stages: stages.map(({ runbook: _, ...stage }) => stage),
        }),
      });
      const banner = await screen.findByTestId('health-banner');
      expect(within(banner).getByTestId('suspect')).toBeInTheDocument();
      expect(within(banner).queryByTestId('runbook')).not.toBeInTheDocument();
      expect(within(banner).queryByRole('link')).not.toBeInTheDocument();
    });

    it('links no runbook that is not an http(s) URL', async () => {
      const api = mockAiPlatformApi({
        getDashboard: jest.fn().mockResolvedValue(dashboardFixture()),
      });
      renderDashboard(api, {
        // Script URLs handed in to check that they are never linked.
        /* eslint-disable no-script-url */
        of: withRunbooks({
          runbook: 'javascript:alert(1)',
          stages: [
            stages[0],
            { ...stages[1], runbook: 'javascript:window.pwned=true' },
          ],
        }),
        /* eslint-enable no-script-url */
      });
      const banner = await screen.findByTestId('health-banner');
      expect(within(banner).queryByTestId('runbook')).not.toBeInTheDocument();
      expect(document.querySelector('a[href^="javascript"]')).toBeNull();
    });
  });
});

describe('hiddenSignalNote', () => {
  it('names the permission and the owner of the spend', () => {
    expect(hiddenSignalNote('cost', 'group:default/ml-team')).toBe(
      "Cost is hidden: you need the ai-platform.spend.read permission for ml-team's spend",
    );
    expect(hiddenSignalNote('cost', 'group:finance/risk')).toBe(
      "Cost is hidden: you need the ai-platform.spend.read permission for finance/risk's spend",
    );
    expect(hiddenSignalNote('cost')).toBe(
      "Cost is hidden: you need the ai-platform.spend.read permission for the owning team's spend",
    );
  });

  it('says another hidden signal is hidden', () => {
    expect(hiddenSignalNote('latency', 'group:default/ml-team')).toBe(
      'Latency is hidden for you.',
    );
  });
});
