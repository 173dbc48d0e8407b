export { SpendErrorPanel } from './SpendErrorPanel';
