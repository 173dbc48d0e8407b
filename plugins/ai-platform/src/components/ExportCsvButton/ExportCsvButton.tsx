import Button from '@mui/material/Button';
import { RiDownload2Line } from '@remixicon/react';
import { CsvRow, downloadCsv, toCsv } from '../../lib/csv';

export interface ExportCsvButtonProps {
  /** The downloaded file's name, e.g. `ai-spend-teams.csv`. */
  filename: string;
  /** The rows to export, header first; computed on click. */
  rows: () => ReadonlyArray<CsvRow>;
  /** What is exported, for screen readers, e.g. `teams`. */
  what?: string;
  disabled?: boolean;
}

/** Downloads a table as a CSV file. */
export function ExportCsvButton(props: ExportCsvButtonProps) {
  const { filename, rows, what, disabled } = props;
  return (
    <Button
      size="small"
      variant="outlined"
      startIcon={<RiDownload2Line size={16} aria-hidden />}
      disabled={disabled}
      aria-label={what ? `Export ${what} as CSV` : 'Export as CSV'}
      onClick={() => downloadCsv(filename, toCsv(rows()))}
    >
      CSV
    </Button>
  );
}
