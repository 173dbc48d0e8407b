export { EntitySpendCard } from './EntitySpendCard';
