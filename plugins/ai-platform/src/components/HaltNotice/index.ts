export { HaltDetails, PipelineHaltAlert, Timestamp } from './HaltNotice';
