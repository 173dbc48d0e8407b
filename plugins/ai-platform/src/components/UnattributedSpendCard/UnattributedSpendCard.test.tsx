import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { toCsv } from '../../lib/csv';
import { NOT_ENTITY_REFS, spendFixture } from '../../testUtils';
import {
  UnattributedSpendCard,
  unattributedCsvRows,
} from './UnattributedSpendCard';

const { unattributed, total } = spendFixture();

describe('UnattributedSpendCard', () => {
  it('lists every unattributed key with what names it, cost and requests', async () => {
    renderInTestApp(
      <UnattributedSpendCard
        unattributed={unattributed}
        total={total}
        csvFilename="u.csv"
      />,
    );

    const card = screen.getByRole('region', {
      name: 'Unattributed usage (shadow AI)',
    });
    expect(
      within(card).getByText(
        '$250.00 (16.7 % of spend), 900 requests that no catalog entity or team claims',
      ),
    ).toBeInTheDocument();
    const rows = within(
      within(card).getByRole('table', { name: 'unattributed usage' }),
    )
      .getAllByRole('row')
      .slice(1);
    expect(
      rows.map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ),
    ).toEqual([
      ['key alias', 'prod-key-7', '$200.00', '700'],
      ['team id', 'team-42', '$40.00', '150'],
      ['tag', 'experiment', '$9.50', '40'],
      ['unknown', 'unknown', '$0.50', '10'],
    ]);
    // In a warning colour.
    expect(card).toHaveStyle({ borderWidth: '2px' });
    expect(
      within(rows[0]).getByText('key alias').closest('[class*="MuiChip-root"]')
        ?.className,
    ).toMatch(/MuiChip-colorWarning/);
  });

  it('says so when all usage is attributed', async () => {
    renderInTestApp(
      <UnattributedSpendCard
        unattributed={{ costUsd: 0, requests: 0, items: [] }}
        total={100}
        csvFilename="u.csv"
      />,
    );
    expect(
      screen.getByText(
        'All usage in this range is attributed to a catalog entity or team.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('exports key, key type, cost and requests as CSV', () => {
    expect(toCsv(unattributedCsvRows(unattributed.items))).toBe(
      'key,key_type,cost_usd,requests\r\n' +
        'prod-key-7,key-alias,200,700\r\n' +
        'team-42,team,40,150\r\n' +
        'experiment,tag,9.5,40\r\n' +
        'unknown,unknown,0.5,10\r\n',
    );
  });

  it('lists keys of any shape as text', async () => {
    const { container } = renderInTestApp(
      <UnattributedSpendCard
        unattributed={{
          costUsd: 70,
          requests: 7,
          items: NOT_ENTITY_REFS.map((key, i) => ({
            key,
            keyType: 'key-alias' as const,
            costUsd: 10 - i,
            requests: 1,
          })),
        }}
        total={100}
        csvFilename="u.csv"
      />,
    );
    const rows = within(
      screen.getByRole('table', { name: 'unattributed usage' }),
    )
      .getAllByRole('row')
      .slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[1].textContent),
    ).toEqual(NOT_ENTITY_REFS.map(key => key || '(none)'));
    expect(container.querySelector('a[href]')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
  });
});
