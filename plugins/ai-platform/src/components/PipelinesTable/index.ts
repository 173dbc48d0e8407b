export { PipelinesTable } from './PipelinesTable';
