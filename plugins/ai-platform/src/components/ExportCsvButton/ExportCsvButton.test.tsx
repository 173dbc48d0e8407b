import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { readBlob } from '../../testUtils';
import { ExportCsvButton } from './ExportCsvButton';

describe('ExportCsvButton', () => {
  const createObjectURL = jest.fn((_blob: Blob) => 'blob:csv');

  beforeEach(() => {
    createObjectURL.mockClear();
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
  });

  afterEach(() => jest.restoreAllMocks());

  it('downloads the rows as a text/csv file when clicked', async () => {
    const rows = jest.fn(() => [
      ['key', 'cost_usd'],
      ['a, b', 1.5],
    ]);
    renderInTestApp(
      <ExportCsvButton filename="x.csv" rows={rows} what="teams" />,
    );

    expect(rows).not.toHaveBeenCalled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Export teams as CSV' }),
    );

    expect(rows).toHaveBeenCalledTimes(1);
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    const blob = createObjectURL.mock.calls[0][0];
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(await readBlob(blob)).toBe('key,cost_usd\r\n"a, b",1.5\r\n');
  });

  it('can be disabled', async () => {
    renderInTestApp(
      <ExportCsvButton filename="x.csv" rows={() => []} disabled />,
    );
    expect(
      screen.getByRole('button', { name: 'Export as CSV' }),
    ).toBeDisabled();
  });
});
