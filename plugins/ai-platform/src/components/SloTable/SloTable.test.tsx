import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SloReport } from '@aiplatform/plugin-ai-platform-common';
import { dashboardFixture } from '../../testUtils';
import { SloTable } from './SloTable';

const { slos } = dashboardFixture();

const CHIP = '.v5-MuiChip-root';

function rows() {
  const table = screen.getByRole('table', { name: 'SLOs' });
  return within(table).getAllByRole('row').slice(1); // skip the header
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(c => c.textContent);

describe('SloTable', () => {
  it('shows name, signal, scope, objective, target, status and attainment of each SLO', async () => {
    renderInTestApp(<SloTable slos={slos} />);

    const [freshness, accuracy] = rows();
    expect(cells(freshness).slice(0, 7)).toEqual([
      'e2e-freshness',
      'freshness',
      'end-to-end',
      'freshness ≤ 6 h',
      '99 % over 30d',
      'breached',
      '95 %',
    ]);
    expect(cells(accuracy).slice(0, 7)).toEqual([
      'answer-accuracy',
      'accuracy',
      'stage serve',
      'accuracy ≥ 90 %',
      '95 % over 30d',
      'at risk',
      '96.1 %',
    ]);
    expect(within(freshness).getByText('breached').closest(CHIP)).toHaveClass(
      `v5-MuiChip-colorError`,
    );
    expect(within(accuracy).getByText('at risk').closest(CHIP)).toHaveClass(
      `v5-MuiChip-colorWarning`,
    );
  });

  it('shows the error budget left as a bar, and an overspent budget as such', async () => {
    renderInTestApp(<SloTable slos={slos} />);

    const [freshness, accuracy] = rows();
    const overspent = within(freshness).getByRole('progressbar');
    expect(overspent).toHaveAccessibleName('error budget: overspent by 25 %');
    expect(overspent).toHaveAttribute('aria-valuenow', '0');
    expect(
      within(freshness).getByText('overspent by 25 %'),
    ).toBeInTheDocument();

    const left = within(accuracy).getByRole('progressbar');
    expect(left).toHaveAccessibleName('error budget: 42 % left');
    expect(left).toHaveAttribute('aria-valuenow', '42');
  });

  it('shows a chip per burn-rate window pair, coloured when firing', async () => {
    renderInTestApp(<SloTable slos={slos} />);

    const [freshness, accuracy] = rows();
    const fast = within(freshness).getByText('1h/5m 14.4× · 20.5×');
    expect(fast.closest(CHIP)).toHaveClass(`v5-MuiChip-colorError`);
    expect(fast.closest(CHIP)).toHaveAttribute('data-firing', 'true');
    const slow = within(freshness).getByText('6h/30m 6× · 0.2×');
    expect(slow.closest(CHIP)).toHaveClass(`v5-MuiChip-colorDefault`);

    const noData = within(accuracy).getByText('3d/6h 1× · –');
    expect(noData.closest(CHIP)).toHaveAttribute('data-firing', 'false');

    await userEvent.hover(fast);
    expect(
      await screen.findByRole('tooltip', {
        name: 'page when both windows burn faster than 14.4×: 1h at 20.5×, 5m at 18× — firing',
      }),
    ).toBeInTheDocument();
  });

  it('shows no-data SLOs without numbers', async () => {
    const noData: SloReport = {
      ...slos[0],
      status: 'no-data',
      attainment: null,
      errorBudgetRemaining: null,
      burnRates: [],
    };
    renderInTestApp(<SloTable slos={[noData]} />);

    const [row] = rows();
    expect(cells(row).slice(5)).toEqual(['no data', '–', '–', '']);
  });

  it('explains how to add SLOs when there are none', async () => {
    renderInTestApp(<SloTable slos={[]} />);
    expect(
      screen.getByText(/This pipeline declares no SLO/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
