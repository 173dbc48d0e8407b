import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { TimeRangePicker, timeRangeBounds } from './TimeRangePicker';

describe('TimeRangePicker', () => {
  it('offers 7, 30 and 90 days and marks the selected one', async () => {
    renderInTestApp(<TimeRangePicker value="30d" onChange={jest.fn()} />);

    const group = screen.getByRole('group', { name: 'time range' });
    expect(group).toHaveTextContent('7 d30 d90 d');
    expect(
      screen.getByRole('button', { name: 'last 30 days' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'last 7 days' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
  });

  it('reports a new range, and nothing when the selected one is clicked again', async () => {
    const onChange = jest.fn();
    renderInTestApp(<TimeRangePicker value="30d" onChange={onChange} />);

    await userEvent.click(screen.getByRole('button', { name: 'last 30 days' }));
    expect(onChange).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'last 90 days' }));
    expect(onChange).toHaveBeenCalledWith('90d');
  });
});

describe('timeRangeBounds', () => {
  it('ends the range now and starts it the given number of days earlier', () => {
    const now = Date.parse('2025-03-31T12:00:00.000Z');
    expect(timeRangeBounds('7d', now)).toEqual({
      from: '2025-03-24T12:00:00.000Z',
      to: '2025-03-31T12:00:00.000Z',
    });
    expect(timeRangeBounds('90d', now).from).toBe('2024-12-31T12:00:00.000Z');
  });
});
