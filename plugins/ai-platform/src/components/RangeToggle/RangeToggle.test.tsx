import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RangeToggle } from './RangeToggle';

const OPTIONS = [
  { id: 'a', label: 'A', ariaLabel: 'option a' },
  { id: 'b', label: 'B', ariaLabel: 'option b' },
] as const;

describe('RangeToggle', () => {
  it('marks the current option and reports a new choice only', async () => {
    const onChange = jest.fn();
    render(
      <RangeToggle
        options={OPTIONS}
        value="a"
        onChange={onChange}
        ariaLabel="ranges"
      />,
    );
    expect(screen.getByRole('button', { name: 'option a' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await userEvent.click(screen.getByRole('button', { name: 'option a' }));
    expect(onChange).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'option b' }));
    expect(onChange).toHaveBeenCalledWith('b');
  });
});
