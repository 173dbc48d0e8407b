import { SpendResponse } from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { ReactNode, useId } from 'react';
import {
  formatCount,
  formatShare,
  formatUsd,
  formatUsdExact,
} from '../../lib/format';

function Stat(props: {
  label: string;
  value: string;
  exact?: string;
  detail?: ReactNode;
  tone?: 'warning';
}) {
  const id = useId();
  const warning = props.tone === 'warning';
  return (
    <Paper
      variant="outlined"
      role="group"
      aria-labelledby={id}
      sx={{
        p: 2,
        flex: '1 1 180px',
        borderColor: warning ? 'warning.main' : undefined,
        borderWidth: warning ? 2 : undefined,
      }}
    >
      <Typography id={id} variant="overline" color="text.secondary">
        {props.label}
      </Typography>
      <Typography
        variant="h4"
        component="p"
        title={props.exact}
        color={warning ? 'warning.dark' : undefined}
      >
        {props.value}
      </Typography>
      {props.detail && (
        <Typography variant="body2" color="text.secondary">
          {props.detail}
        </Typography>
      )}
    </Paper>
  );
}

export interface SpendSummaryProps {
  spend: SpendResponse;
}

/** Total, attributed and unattributed spend of a range, and the unpriced requests. */
export function SpendSummary(props: SpendSummaryProps) {
  const { spend } = props;
  const unattributed = spend.unattributed.costUsd;
  const attributed = Math.max(0, spend.total - unattributed);
  const unpriced = spend.unpricedRequests ?? 0;
  return (
    <Box>
      <Stack direction="row" gap={2} flexWrap="wrap">
        <Stat
          label="Total spend"
          value={formatUsd(spend.total)}
          exact={formatUsdExact(spend.total)}
        />
        <Stat
          label="Attributed"
          value={formatUsd(attributed)}
          exact={formatUsdExact(attributed)}
          detail={`${formatShare(
            attributed,
            spend.total,
          )} to catalog teams and entities`}
        />
        <Stat
          label="Unattributed"
          value={formatUsd(unattributed)}
          exact={formatUsdExact(unattributed)}
          detail={`${formatShare(
            unattributed,
            spend.total,
          )} of spend, ${formatCount(spend.unattributed.requests)} requests`}
          tone={unattributed > 0 ? 'warning' : undefined}
        />
        {unpriced > 0 && (
          <Stat
            label="Unpriced requests"
            value={formatCount(unpriced)}
            detail="Cost unknown, not zero: in no total"
            tone="warning"
          />
        )}
      </Stack>
    </Box>
  );
}
