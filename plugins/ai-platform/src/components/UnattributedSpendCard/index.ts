export {
  UnattributedSpendCard,
  unattributedCsvRows,
} from './UnattributedSpendCard';
export type { UnattributedSpendCardProps } from './UnattributedSpendCard';
