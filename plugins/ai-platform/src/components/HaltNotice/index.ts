export {
  EnforcementSummary,
  HaltDetails,
  PipelineHaltAlert,
  Timestamp,
} from './HaltNotice';
