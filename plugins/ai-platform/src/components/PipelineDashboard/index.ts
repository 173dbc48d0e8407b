export {
  PipelineDashboard,
  PipelineDashboardContent,
} from './PipelineDashboard';
export type { PipelineDashboardProps } from './PipelineDashboard';
