import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { OwnershipFinding } from '@aiplatform/plugin-ai-platform-common';

const COLOR = {
  error: 'error',
  warning: 'warning',
  info: 'info',
} as const;

/** A finding as a coloured badge; its message shows on hover. */
export function FindingChip(props: { finding: OwnershipFinding }) {
  const { finding } = props;
  return (
    <Tooltip title={finding.message}>
      <Chip
        size="small"
        color={COLOR[finding.severity]}
        variant={finding.severity === 'info' ? 'outlined' : 'filled'}
        label={finding.code}
        data-testid={`finding-${finding.code}`}
      />
    </Tooltip>
  );
}

/** Counts of findings by severity, as compact badges. */
export function FindingCountChips(props: {
  counts: { error: number; warning: number; info: number };
}) {
  const { counts } = props;
  const parts = (['error', 'warning', 'info'] as const).filter(
    s => counts[s] > 0,
  );
  if (!parts.length) {
    return (
      <Chip size="small" color="success" variant="outlined" label="no gaps" />
    );
  }
  return (
    <>
      {parts.map(severity => (
        <Chip
          key={severity}
          size="small"
          sx={{ mr: 0.5 }}
          color={COLOR[severity]}
          variant={severity === 'info' ? 'outlined' : 'filled'}
          label={`${counts[severity]} ${severity}${
            counts[severity] > 1 ? 's' : ''
          }`}
        />
      ))}
    </>
  );
}
