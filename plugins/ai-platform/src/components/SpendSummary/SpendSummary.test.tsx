import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { spendFixture } from '../../testUtils';
import { SpendSummary } from './SpendSummary';

describe('SpendSummary', () => {
  it('shows total, attributed and the unattributed share', async () => {
    renderInTestApp(<SpendSummary spend={spendFixture()} />);

    const total = screen.getByRole('group', { name: 'Total spend' });
    expect(within(total).getByText('$1.5k')).toHaveAttribute(
      'title',
      '$1,500.00',
    );
    const attributed = screen.getByRole('group', { name: 'Attributed' });
    expect(within(attributed).getByText('$1.3k')).toBeInTheDocument();
    expect(
      within(attributed).getByText('83.3 % to catalog teams and entities'),
    ).toBeInTheDocument();
    const unattributed = screen.getByRole('group', { name: 'Unattributed' });
    expect(within(unattributed).getByText('$250.00')).toBeInTheDocument();
    expect(
      within(unattributed).getByText('16.7 % of spend, 900 requests'),
    ).toBeInTheDocument();
    const unpriced = screen.getByRole('group', { name: 'Unpriced requests' });
    expect(within(unpriced).getByText('5')).toBeInTheDocument();
    expect(
      within(unpriced).getByText('Cost unknown, not zero: in no total'),
    ).toBeInTheDocument();
  });

  it('shows no unpriced tile and dashes for shares when nothing was spent', async () => {
    renderInTestApp(
      <SpendSummary
        spend={spendFixture({
          total: 0,
          items: [],
          unattributed: { costUsd: 0, requests: 0, items: [] },
          unpricedRequests: undefined,
        })}
      />,
    );
    expect(
      within(screen.getByRole('group', { name: 'Total spend' })).getByText(
        '$0.00',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('– to catalog teams and entities'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('group', { name: 'Unpriced requests' }),
    ).not.toBeInTheDocument();
  });
});
