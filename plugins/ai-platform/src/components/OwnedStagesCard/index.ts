export { OwnedStagesCard } from './OwnedStagesCard';
