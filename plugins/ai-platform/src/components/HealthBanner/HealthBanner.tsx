import {
  HaltState,
  HealthSuspect,
  PipelineHealth,
} from '@aiplatform/plugin-ai-platform-common';
import { Link } from '@backstage/core-components';
import Alert, { AlertColor } from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Typography from '@mui/material/Typography';
import { safeRunbookUrl } from '../../lib/runbook';
import { SIGNAL_DISPLAY } from '../../lib/signals';
import { HaltDetails } from '../HaltNotice';

const STYLE: Record<PipelineHealth, { severity: AlertColor; title: string }> = {
  failing: { severity: 'error', title: 'Failing' },
  halted: { severity: 'error', title: 'Halted' },
  degraded: { severity: 'warning', title: 'Degraded' },
  healthy: { severity: 'success', title: 'Healthy' },
  unknown: { severity: 'info', title: 'No data' },
};

export interface HealthBannerProps {
  health: PipelineHealth;
  explanation: string;
  suspect: HealthSuspect | null;
  halt: HaltState;
  /**
   * The runbook to link (the suspect stage's, or the pipeline's); only an
   * http(s) URL is linked, anything else is not shown.
   */
  runbook?: string;
}

/** The pipeline's health, why, the stage most likely at fault and any halt. */
export function HealthBanner(props: HealthBannerProps) {
  const { health, explanation, suspect, halt } = props;
  const style = STYLE[health] ?? STYLE.unknown;
  const runbook = safeRunbookUrl(props.runbook);
  return (
    <Alert
      severity={style.severity}
      data-testid="health-banner"
      aria-label={`pipeline health: ${style.title.toLocaleLowerCase('en-US')}`}
    >
      <AlertTitle>{style.title}</AlertTitle>
      {explanation && <Typography variant="body2">{explanation}</Typography>}
      {suspect && (
        <Typography variant="body2" sx={{ mt: 0.5 }} data-testid="suspect">
          Suspect: stage <strong>{suspect.stage}</strong> (
          {SIGNAL_DISPLAY[suspect.signal]?.label ?? suspect.signal}) —{' '}
          <strong>{suspect.reason}</strong>
        </Typography>
      )}
      {runbook && (
        <Typography variant="body2" sx={{ mt: 0.5 }} data-testid="runbook">
          <Link to={runbook} target="_blank" rel="noopener noreferrer">
            Runbook
          </Link>
        </Typography>
      )}
      {halt.halted && (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          <HaltDetails halt={halt} />
        </Typography>
      )}
    </Alert>
  );
}
