import { readBlob } from '../testUtils';
import { csvCell, downloadCsv, fileNamePart, toCsv } from './csv';

describe('csvCell', () => {
  it('writes numbers as they are and nothing for empty cells', () => {
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('quotes text with commas, quotes, line breaks or edge spaces', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('group:default/ml-team')).toBe('group:default/ml-team');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('')).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(
      '"\'=HYPERLINK(""http://x"",""y"")"',
    );
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-key')).toBe("'-key");
    expect(csvCell('@sum')).toBe("'@sum");
  });
});

describe('toCsv', () => {
  it('joins cells with commas and rows with CRLF, quoting as needed', () => {
    expect(
      toCsv([
        ['key', 'cost_usd', 'requests'],
        ['group:default/ml-team', 1234.5, 10],
        ['team "x", y', 0.000123, 0],
        ['empty', null, undefined],
      ]),
    ).toBe(
      'key,cost_usd,requests\r\n' +
        'group:default/ml-team,1234.5,10\r\n' +
        '"team ""x"", y",0.000123,0\r\n' +
        'empty,,\r\n',
    );
  });

  it('is empty without rows', () => {
    expect(toCsv([])).toBe('');
  });
});

describe('downloadCsv', () => {
  const createObjectURL = jest.fn(() => 'blob:spend');
  const revokeObjectURL = jest.fn();

  beforeEach(() => {
    Object.assign(URL, { createObjectURL, revokeObjectURL });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('clicks a link to a text/csv Blob named after the file', async () => {
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function fakeClick(this: HTMLAnchorElement) {
        expect(this.download).toBe('spend.csv');
        expect(this.getAttribute('href')).toBe('blob:spend');
      });

    downloadCsv('spend.csv', 'a,b\r\n1,2\r\n');

    expect(click).toHaveBeenCalledTimes(1);
    const blob = (createObjectURL.mock.calls[0] as unknown[])[0] as Blob;
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(await readBlob(blob)).toBe('a,b\r\n1,2\r\n');
    expect(document.querySelector('a[download]')).toBeNull();
  });
});

describe('fileNamePart', () => {
  it('keeps the name of a ref, safe for a file name', () => {
    expect(fileNamePart('group:default/ml-team')).toBe('ml-team');
    expect(fileNamePart('component:default/answers')).toBe('answers');
    expect(fileNamePart('a b?c')).toBe('a-b-c');
    expect(fileNamePart('')).toBe('all');
  });
});
