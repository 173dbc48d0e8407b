import Chip from '@mui/material/Chip';
import { PipelineHealth } from '@aiplatform/plugin-ai-platform-common';

const STYLE: Record<
  PipelineHealth,
  { color: 'success' | 'warning' | 'error' | 'default'; label: string }
> = {
  healthy: { color: 'success', label: 'healthy' },
  degraded: { color: 'warning', label: 'degraded' },
  failing: { color: 'error', label: 'failing' },
  halted: { color: 'error', label: 'halted' },
  unknown: { color: 'default', label: 'no data' },
};

/** The pipeline's overall health. */
export function HealthChip(props: { health: PipelineHealth }) {
  const style = STYLE[props.health] ?? STYLE.unknown;
  return <Chip size="small" color={style.color} label={style.label} />;
}
