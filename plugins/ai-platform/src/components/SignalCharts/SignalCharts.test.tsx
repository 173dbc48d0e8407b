import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { END_TO_END_COLOR } from '../../lib/ownerColor';
import { dashboardFixture } from '../../testUtils';
import { SignalCharts } from './SignalCharts';

const dashboard = dashboardFixture();

function renderCharts(overrides: { series?: typeof dashboard.series } = {}) {
  return renderInTestApp(
    <SignalCharts
      series={overrides.series ?? dashboard.series}
      slos={dashboard.slos}
      from={dashboard.from}
      to={dashboard.to}
      width={600}
      panelHeight={160}
    />,
  );
}

/** The curves of a panel by series name. */
function curves(panel: HTMLElement): Map<string, SVGPathElement> {
  const paths = panel.querySelectorAll<SVGPathElement>('path.recharts-curve');
  return new Map([...paths].map(p => [p.getAttribute('name')!, p]));
}

/** x of the first point of a curve. */
const firstX = (path: SVGPathElement) =>
  Number(/^M([\d.]+),/.exec(path.getAttribute('d') ?? '')![1]);

describe('SignalCharts', () => {
  it('renders one panel per signal with data, in signal order, with units', async () => {
    renderCharts();

    const panels = screen.getAllByRole('group');
    expect(panels.map(p => p.getAttribute('aria-label'))).toEqual([
      'Freshness lag (h)',
      'Accuracy (%)',
      'Cost per day (USD)',
    ]);
    expect(
      screen.queryByTestId('signal-panel-quality'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByTestId('signal-panel-latency'),
    ).not.toBeInTheDocument();
    for (const panel of panels) {
      expect(panel.querySelector('svg.recharts-surface')).toHaveAttribute(
        'width',
        '600',
      );
    }
    // Freshness shown in hours: the data peaks at 14 h.
    const freshness = screen.getByTestId('signal-panel-freshness');
    expect(within(freshness).getByText('16 h')).toBeInTheDocument();
  });

  it('draws one line per stage and a bolder end-to-end line, in stable colours', async () => {
    renderCharts();

    const freshness = curves(screen.getByTestId('signal-panel-freshness'));
    expect([...freshness.keys()]).toEqual(['embed', 'ingest', 'end-to-end']);
    expect(freshness.get('end-to-end')).toHaveAttribute('stroke-width', '3');
    expect(freshness.get('end-to-end')).toHaveAttribute(
      'stroke',
      END_TO_END_COLOR,
    );
    expect(freshness.get('embed')).toHaveAttribute('stroke-width', '1.5');
    const stageColors = new Set(
      ['embed', 'ingest'].map(s => freshness.get(s)!.getAttribute('stroke')),
    );
    expect(stageColors.size).toBe(2);

    const accuracy = curves(screen.getByTestId('signal-panel-accuracy'));
    expect([...accuracy.keys()]).toEqual(['end-to-end']);
    const cost = curves(screen.getByTestId('signal-panel-cost'));
    expect([...cost.keys()]).toEqual(['serve']);

    // The legend uses the same colours as the lines.
    const legend = screen.getByRole('list', { name: 'legend' });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['embed', 'ingest', 'serve', 'end-to-end']);
    const swatch = (label: string) =>
      within(legend).getByText(label).previousElementSibling!;
    expect(swatch('embed')).toHaveStyle({
      backgroundColor: freshness.get('embed')!.getAttribute('stroke')!,
    });
    expect(swatch('serve')).toHaveStyle({
      backgroundColor: cost.get('serve')!.getAttribute('stroke')!,
    });
  });

  it('draws a labelled threshold line for each SLO on the signal of the panel', async () => {
    renderCharts();

    const freshness = screen.getByTestId('signal-panel-freshness');
    expect(freshness.querySelectorAll('.slo-threshold')).toHaveLength(1);
    expect(within(freshness).getByText('e2e-freshness')).toBeInTheDocument();
    expect(
      within(freshness).queryByText('answer-accuracy'),
    ).not.toBeInTheDocument();

    const accuracy = screen.getByTestId('signal-panel-accuracy');
    expect(accuracy.querySelectorAll('.slo-threshold')).toHaveLength(1);
    expect(within(accuracy).getByText('answer-accuracy')).toBeInTheDocument();

    const cost = screen.getByTestId('signal-panel-cost');
    expect(cost.querySelectorAll('.slo-threshold')).toHaveLength(0);
  });

  it('puts every panel on the same time axis: the selected range', async () => {
    renderCharts();

    const panels = screen.getAllByRole('group');
    const ticks = panels.map(panel =>
      [...panel.querySelectorAll('.recharts-xAxis-tick-labels text')].map(
        t => t.textContent,
      ),
    );
    expect(ticks[0]).toHaveLength(7);
    expect(ticks[1]).toEqual(ticks[0]);
    expect(ticks[2]).toEqual(ticks[0]);

    // The data covers the last 3 of 30 days: it starts at the same x in each
    // panel, near the right end of the axis.
    const starts = panels.map(panel => firstX([...curves(panel).values()][0]));
    expect(new Set(starts).size).toBe(1);
    expect(starts[0]).toBeGreaterThan(500);
  });

  it('shows the empty state when there are no series', async () => {
    renderCharts({ series: [] });

    expect(screen.getByTestId('signals-empty')).toHaveTextContent(
      'No signals were reported for this pipeline in this time range.',
    );
    expect(screen.queryByRole('group')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'legend' }),
    ).not.toBeInTheDocument();
  });

  it('puts the note of a hidden signal where its panel would be, instead of the panel', async () => {
    renderInTestApp(
      <SignalCharts
        series={dashboard.series}
        slos={dashboard.slos}
        from={dashboard.from}
        to={dashboard.to}
        width={600}
        hidden={[
          { signal: 'accuracy', note: 'Accuracy is hidden for you.' },
          { signal: 'cost', note: 'Cost is hidden.' },
        ]}
      />,
    );
    const order = [
      ...document.querySelectorAll(
        '[data-testid^="signal-panel-"], [data-testid^="signal-hidden-"]',
      ),
    ].map(el => el.getAttribute('data-testid'));
    expect(order).toEqual([
      'signal-panel-freshness',
      'signal-hidden-accuracy',
      'signal-hidden-cost',
    ]);
    expect(screen.getByTestId('signal-hidden-accuracy')).toHaveTextContent(
      'Accuracy is hidden for you.',
    );
  });
});
