export {
  PipelineOwnershipContent,
  PipelineOwnershipView,
} from './PipelineOwnershipContent';
