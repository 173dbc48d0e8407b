/** One CSV cell: text, a number, or nothing. */
export type CsvCell = string | number | boolean | null | undefined;

/** One CSV row. */
export type CsvRow = ReadonlyArray<CsvCell>;

/** Characters that make a spreadsheet read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell as CSV (RFC 4180): numbers as they are, text quoted when it holds
 * a comma, quote, line break or edge spaces, with quotes doubled. Text that
 * a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first)
 * is prefixed with `'`: keys and aliases come from gateway traffic, not
 * from us.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : '';
  }
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) {
    text = `'${text}`;
  }
  if (/[",\r\n]/.test(text) || text !== text.trim()) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** Rows (the first one usually the header) as CSV text, CRLF line ends. */
export function toCsv(rows: ReadonlyArray<CsvRow>): string {
  return rows.map(row => `${row.map(csvCell).join(',')}\r\n`).join('');
}

/** Offers `csv` as a `text/csv` file download named `filename`. */
export function downloadCsv(filename: string, csv: string): void {
  const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Let the browser start the download before the URL goes away.
    setTimeout(() => URL.revokeObjectURL?.(url), 0);
  }
}

/** A file name part from free text: `group:default/ml-team` → `ml-team`. */
export function fileNamePart(text: string): string {
  const last = text.split(/[/:]/).pop() ?? text;
  return last.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'all';
}
