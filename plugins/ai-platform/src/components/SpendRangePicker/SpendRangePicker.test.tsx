import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SpendRangePicker, spendRangeBounds } from './SpendRangePicker';

const NOW = Date.parse('2025-03-15T12:30:00.000Z');

describe('spendRangeBounds', () => {
  it('starts this month at the first instant of the UTC month', () => {
    expect(spendRangeBounds('month', NOW)).toEqual({
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-15T12:30:00.000Z',
    });
    expect(
      spendRangeBounds('month', Date.parse('2025-01-01T00:10:00.000Z')).from,
    ).toBe('2025-01-01T00:00:00.000Z');
  });

  it('goes back 30 or 90 days from now', () => {
    expect(spendRangeBounds('30d', NOW)).toEqual({
      from: '2025-02-13T12:30:00.000Z',
      to: '2025-03-15T12:30:00.000Z',
    });
    expect(spendRangeBounds('90d', NOW).from).toBe('2024-12-15T12:30:00.000Z');
  });
});

describe('SpendRangePicker', () => {
  it('marks the selected range and reports a new one', async () => {
    const onChange = jest.fn();
    renderInTestApp(<SpendRangePicker value="month" onChange={onChange} />);

    expect(
      screen.getByRole('button', { name: 'this month (UTC)' }),
    ).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'last 90 days' }));
    expect(onChange).toHaveBeenCalledWith('90d');

    await userEvent.click(
      screen.getByRole('button', { name: 'this month (UTC)' }),
    );
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});
