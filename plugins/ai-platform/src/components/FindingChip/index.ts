export { FindingChip, FindingCountChips } from './FindingChip';
