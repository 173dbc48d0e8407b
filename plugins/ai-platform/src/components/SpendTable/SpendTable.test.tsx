import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { toCsv } from '../../lib/csv';
import { NOT_ENTITY_REFS, spendFixture } from '../../testUtils';
import { SpendTable, spendCsvRows } from './SpendTable';

const teams = spendFixture().items;

function bodyRows(name: string): HTMLElement[] {
  return within(screen.getByRole('table', { name }))
    .getAllByRole('row')
    .slice(1);
}

describe('SpendTable', () => {
  it('ranks the items by cost with share, requests and compact tokens', async () => {
    renderInTestApp(
      <SpendTable
        title="Teams ranked by cost"
        groupBy="team"
        items={teams}
        csvFilename="teams.csv"
        emptyText="none"
      />,
    );

    const rows = bodyRows('Teams ranked by cost');
    expect(
      rows.map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ),
    ).toEqual([
      ['1', 'ml-team', '+5 unpriced$900.00', '72 %', '12,000', '12M', '3.4M'],
      ['2', 'search', '$300.00', '24 %', '4,000', '2M', '500k'],
      ['3', '(no owning team)', '$50.00', '4 %', '300', '100k', '20k'],
    ]);
    // Without onSelect nothing is a button but the export.
    expect(screen.getAllByRole('button')).toHaveLength(1);
  });

  it('makes named keys buttons that select them, by keyboard too', async () => {
    const onSelect = jest.fn();
    renderInTestApp(
      <SpendTable
        title="Teams"
        groupBy="team"
        items={teams}
        onSelect={onSelect}
        selectLabel={label => `Drill into ${label}`}
        csvFilename="teams.csv"
        emptyText="none"
      />,
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Drill into search' }),
    );
    expect(onSelect).toHaveBeenLastCalledWith('group:default/search');

    act(() =>
      screen.getByRole('button', { name: 'Drill into ml-team' }).focus(),
    );
    await userEvent.keyboard('{Enter}');
    expect(onSelect).toHaveBeenLastCalledWith('group:default/ml-team');

    // Usage without a team cannot be drilled into.
    expect(
      screen.queryByRole('button', { name: /no owning team/ }),
    ).not.toBeInTheDocument();
    expect(screen.getByText('(no owning team)')).toBeInTheDocument();
  });

  it('shows the empty text and disables the export without items', async () => {
    renderInTestApp(
      <SpendTable
        title="Services"
        groupBy="service"
        items={[]}
        csvFilename="s.csv"
        emptyText="No service spent anything."
      />,
    );
    expect(screen.getByText('No service spent anything.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Export services as CSV' }),
    ).toBeDisabled();
  });
});

describe('spendCsvRows', () => {
  it('exports full keys and raw numbers by rank, header first', () => {
    expect(toCsv(spendCsvRows(teams, 'team'))).toBe(
      [
        'rank,team,cost_usd,requests,input_tokens,output_tokens,unpriced_requests',
        '1,group:default/ml-team,900,12000,12000000,3400000,5',
        '2,group:default/search,300,4000,2000000,500000,0',
        '3,(none),50,300,100000,20000,0',
        '',
      ].join('\r\n'),
    );
  });

  it('shows keys that are not entity refs as text, each selectable but the empty one', async () => {
    const onSelect = jest.fn();
    const items = NOT_ENTITY_REFS.map((key, i) => ({
      key,
      costUsd: 100 - i,
      inputTokens: 1,
      outputTokens: 1,
      requests: 1,
    }));
    const { container } = renderInTestApp(
      <SpendTable
        title="Teams"
        groupBy="team"
        items={items}
        onSelect={onSelect}
        csvFilename="teams.csv"
        emptyText="none"
      />,
    );
    const rows = bodyRows('Teams');
    expect(rows).toHaveLength(NOT_ENTITY_REFS.length);
    expect(container.querySelector('a[href]')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    // Every named key is a button with the key as its tooltip.
    const keyed = rows.map(r => within(r).getAllByRole('cell')[1]);
    expect(
      keyed.map(
        cell =>
          within(cell).queryByRole('button')?.getAttribute('title') ??
          cell.textContent,
      ),
    ).toEqual(NOT_ENTITY_REFS.map(key => key || '(no owning team)'));
    await userEvent.click(within(keyed[0]).getByRole('button'));
    expect(onSelect).toHaveBeenCalledWith('ai-platform');
  });
});
