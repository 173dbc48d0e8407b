export { RangeToggle } from './RangeToggle';
export type { RangeOption } from './RangeToggle';
