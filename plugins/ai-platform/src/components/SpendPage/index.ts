export { SpendPage } from './SpendPage';
