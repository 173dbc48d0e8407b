export {
  EnforcementSummary,
  HaltDetails,
  PipelineHaltAlert,
  Timestamp,
} from './HaltNotice';
export {
  enforcementSummary,
  hasUnfinishedEnforcement,
} from './enforcementSummary';
