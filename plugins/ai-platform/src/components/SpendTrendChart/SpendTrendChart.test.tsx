import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { dailySpendFixture } from '../../testUtils';
import { SpendTrendChart } from './SpendTrendChart';

const FROM = '2025-03-01T00:00:00.000Z';
const TO = '2025-03-03T12:00:00.000Z';

describe('SpendTrendChart', () => {
  it('stacks one bar series per model, per day, in the legend colours', async () => {
    const { container } = renderInTestApp(
      <SpendTrendChart
        items={dailySpendFixture().items}
        from={FROM}
        to={TO}
        width={600}
      />,
    );

    expect(container.querySelector('svg.recharts-surface')).toHaveAttribute(
      'width',
      '600',
    );
    const legend = screen.getByRole('list', { name: 'models' });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      'gpt-4o $30.00',
      'claude-3.5-sonnet $5.00',
      'gpt-4.1-mini $3.00',
    ]);

    const swatches = within(legend).getAllByTestId('legend-swatch');
    ['s0', 's1', 's2'].forEach((id, index) => {
      const layer = container.querySelector(`.spend-series-${id}`);
      expect(layer).not.toBeNull();
      const bars = layer!.querySelectorAll('path.recharts-rectangle');
      // Zero-cost days draw no bar: gpt-4o every day, claude once, mini twice.
      expect(bars).toHaveLength([3, 1, 2][index]);
      expect(swatches[index]).toHaveStyle({
        backgroundColor: bars[0].getAttribute('fill')!,
      });
    });

    const ticks = [
      ...container.querySelectorAll('.recharts-xAxis-tick-labels text'),
    ].map(t => t.textContent);
    expect(ticks).toEqual(['Mar 1', 'Mar 2', 'Mar 3']);
  });

  it('shows the empty state without spend', async () => {
    renderInTestApp(
      <SpendTrendChart items={[]} from={FROM} to={TO} width={600} />,
    );
    expect(screen.getByTestId('spend-trend-empty')).toHaveTextContent(
      'No AI spend in this range.',
    );
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });
});
