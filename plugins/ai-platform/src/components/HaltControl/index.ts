export { HaltControl, NO_PERMISSION_REASON } from './HaltControl';
export type { HaltControlProps } from './HaltControl';
