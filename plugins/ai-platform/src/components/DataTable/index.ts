export { DataTable, sortAndFilterRows } from './DataTable';
export type {
  DataTableColumn,
  DataTableProps,
  SortDirection,
} from './DataTable';
