export { OwnershipReport } from './OwnershipReport';
