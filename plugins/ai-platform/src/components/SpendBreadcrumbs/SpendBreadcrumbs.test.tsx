import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SpendBreadcrumbs } from './SpendBreadcrumbs';

describe('SpendBreadcrumbs', () => {
  it('makes every level but the current one a button back to it', async () => {
    const onNavigate = jest.fn();
    renderInTestApp(
      <SpendBreadcrumbs
        crumbs={[
          { label: 'All teams' },
          { label: 'ml-team', title: 'group:default/ml-team' },
          { label: 'answers', title: 'component:default/answers' },
        ]}
        onNavigate={onNavigate}
      />,
    );

    const nav = screen.getByRole('navigation', { name: 'spend drill-down' });
    expect(
      within(nav)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['All teams', 'ml-team']);
    expect(within(nav).getByText('answers')).toHaveAttribute(
      'aria-current',
      'location',
    );

    await userEvent.click(within(nav).getByRole('button', { name: 'ml-team' }));
    expect(onNavigate).toHaveBeenLastCalledWith(1);

    act(() => within(nav).getByRole('button', { name: 'All teams' }).focus());
    await userEvent.keyboard('{Enter}');
    expect(onNavigate).toHaveBeenLastCalledWith(0);
  });
});
