export {
  EnforcementSummary,
  HaltDetails,
  PipelineHaltAlert,
  Timestamp,
} from './HaltNotice';
export { enforcementSummary } from './enforcementSummary';
