export { SpendTable, rankSpendItems, spendCsvRows } from './SpendTable';
export type { SpendTableProps } from './SpendTable';
