export { DataTable, sortAndFilterRows } from './DataTable';
export type {
  DataTableColumn,
  DataTablePaging,
  DataTableProps,
  ServerSort,
  SortDirection,
} from './DataTable';
export { usePagedList } from './usePagedList';
