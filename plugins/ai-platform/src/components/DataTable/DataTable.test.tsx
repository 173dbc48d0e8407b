import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  DataTable,
  DataTableColumn,
  DataTableProps,
  sortAndFilterRows,
} from './DataTable';

interface Fruit {
  name: string;
  colour: string;
  weight: number;
}

const fruits: Fruit[] = [
  { name: 'banana', colour: 'yellow', weight: 120 },
  { name: 'apple', colour: 'red', weight: 180 },
  { name: 'cherry', colour: 'red', weight: 8 },
  { name: 'date', colour: 'brown', weight: 7 },
];

const columns: DataTableColumn<Fruit>[] = [
  { title: 'Name', value: f => f.name, render: f => <b>{f.name}</b> },
  { title: 'Colour', value: f => f.colour },
  { title: 'Weight', value: f => f.weight, numeric: true },
];

/** The first cell of every body row, top to bottom. */
function names(): string[] {
  const table = screen.getByRole('table', { name: 'Fruits' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent ?? '');
}

/** The fruit table, with `props` instead of the defaults. */
function renderTable(props: Partial<DataTableProps<Fruit>> = {}) {
  return renderInTestApp(
    <DataTable
      title="Fruits"
      columns={columns}
      rows={fruits}
      rowKey={f => f.name}
      {...props}
    />,
  );
}

function header(name: string): HTMLElement {
  return screen.getByRole('columnheader', { name });
}

describe('sortAndFilterRows', () => {
  it('keeps the order when not sorted and filters case-insensitively in any column', () => {
    expect(
      sortAndFilterRows(fruits, columns, '', undefined).map(f => f.name),
    ).toEqual(['banana', 'apple', 'cherry', 'date']);
    expect(
      sortAndFilterRows(fruits, columns, ' RED ', undefined).map(f => f.name),
    ).toEqual(['apple', 'cherry']);
    expect(
      sortAndFilterRows(fruits, columns, '12', undefined).map(f => f.name),
    ).toEqual(['banana']);
  });

  it('sorts numbers as numbers, strings by locale, stably, and by a custom comparator', () => {
    expect(
      sortAndFilterRows(fruits, columns, '', {
        column: 2,
        direction: 'asc',
      }).map(f => f.weight),
    ).toEqual([7, 8, 120, 180]);
    // Equal colours keep their order, in both directions.
    expect(
      sortAndFilterRows(fruits, columns, '', {
        column: 1,
        direction: 'desc',
      }).map(f => f.name),
    ).toEqual(['banana', 'apple', 'cherry', 'date']);
    const byLength: DataTableColumn<Fruit> = {
      title: 'Name',
      value: f => f.name,
      compare: (a, b) => a.name.length - b.name.length,
    };
    expect(
      sortAndFilterRows(fruits, [byLength], '', {
        column: 0,
        direction: 'asc',
      }).map(f => f.name),
    ).toEqual(['date', 'apple', 'banana', 'cherry']);
  });

  it('matches the search text of a column instead of its value when given', () => {
    const tagged: DataTableColumn<Fruit> = {
      title: 'Name',
      value: f => f.name,
      searchText: f => `${f.name} fruit`,
    };
    expect(
      sortAndFilterRows(fruits, [tagged], 'fruit', undefined),
    ).toHaveLength(4);
  });
});

describe('DataTable', () => {
  it('renders a titled table with column headers and rendered cells', async () => {
    await renderTable();
    expect(screen.getByRole('heading', { name: 'Fruits' })).toBeVisible();
    const table = screen.getByRole('table', { name: 'Fruits' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Name', 'Colour', 'Weight']);
    expect(names()).toEqual(['banana', 'apple', 'cherry', 'date']);
    expect(within(table).getByText('banana').tagName).toBe('B');
    // No filter box unless asked for.
    expect(screen.queryByRole('searchbox')).not.toBeInTheDocument();
  });

  it('sorts by the default column and toggles the order when a header is clicked', async () => {
    await renderTable({ defaultSort: { column: 'Weight', direction: 'desc' } });
    expect(names()).toEqual(['apple', 'banana', 'cherry', 'date']);
    expect(header('Weight')).toHaveAttribute('aria-sort', 'descending');

    await userEvent.click(within(header('Name')).getByRole('button'));
    expect(names()).toEqual(['apple', 'banana', 'cherry', 'date']);
    expect(header('Name')).toHaveAttribute('aria-sort', 'ascending');
    expect(header('Weight')).not.toHaveAttribute('aria-sort');

    await userEvent.click(within(header('Name')).getByRole('button'));
    expect(names()).toEqual(['date', 'cherry', 'banana', 'apple']);
    expect(header('Name')).toHaveAttribute('aria-sort', 'descending');
  });

  it('filters the rows by the text in its labelled search box', async () => {
    await renderTable({ search: true });
    const box = screen.getByRole('searchbox', { name: 'Filter Fruits' });
    await userEvent.type(box, 'red');
    expect(names()).toEqual(['apple', 'cherry']);

    await userEvent.clear(box);
    await userEvent.type(box, 'kiwi');
    expect(screen.getByText('No rows match “kiwi”.')).toBeVisible();

    await userEvent.clear(box);
    expect(names()).toEqual(['banana', 'apple', 'cherry', 'date']);
  });

  it('pages the rows only when there are more than a page of them', async () => {
    const many: Fruit[] = Array.from({ length: 25 }, (_, i) => ({
      name: `fruit-${String(i + 1).padStart(2, '0')}`,
      colour: i % 2 ? 'red' : 'green',
      weight: i,
    }));
    await renderTable({ rows: many, pageSize: 20, search: true });
    expect(names()).toHaveLength(20);
    expect(names()[0]).toBe('fruit-01');
    expect(screen.getByText('1–20 of 25')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Go to next page' }),
    );
    expect(names()).toEqual([
      'fruit-21',
      'fruit-22',
      'fruit-23',
      'fruit-24',
      'fruit-25',
    ]);

    // Filtering goes back to the first page, and counts the kept rows.
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Filter Fruits' }),
      'red',
    );
    expect(names()).toHaveLength(12);
    expect(screen.getByText('1–12 of 12')).toBeInTheDocument();
  });

  it('does not page a table that fits in a page', async () => {
    await renderTable({ pageSize: 4 });
    expect(names()).toHaveLength(4);
    expect(
      screen.queryByRole('button', { name: 'Go to next page' }),
    ).not.toBeInTheDocument();
  });

  it('shows the empty content when there are no rows, and a default text otherwise', async () => {
    const { unmount } = await renderTable({
      rows: [],
      emptyContent: <div>No fruit yet.</div>,
    });
    expect(screen.getByText('No fruit yet.')).toBeVisible();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    unmount();

    await renderTable({ rows: [] });
    expect(screen.getByText('No records to display')).toBeVisible();
  });

  it('shows progress instead of the rows while loading', async () => {
    await renderTable({ loading: true });
    expect(screen.getByRole('heading', { name: 'Fruits' })).toBeVisible();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });
});
