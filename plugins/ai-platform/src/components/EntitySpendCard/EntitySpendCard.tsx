import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  BudgetStatus,
  SpendBudgetResponse,
} from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { formatShare, formatUsd, formatUsdExact } from '../../lib/format';
import { SpendErrorPanel } from '../SpendErrorPanel';

const STATUS: Record<
  BudgetStatus,
  { label: string; color: 'success' | 'warning' | 'error' }
> = {
  ok: { label: 'OK', color: 'success' },
  'forecast-over': { label: 'Forecast over budget', color: 'warning' },
  over: { label: 'Over budget', color: 'error' },
};

/** Month-to-date spend as a percentage of the budget, 0 to 100. */
export function budgetProgress(monthToDateUsd: number, budgetUsd: number) {
  if (budgetUsd <= 0) return monthToDateUsd > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, (monthToDateUsd / budgetUsd) * 100));
}

function Figure(props: { label: string; value: number; strong?: boolean }) {
  return (
    <Box role="group" aria-label={props.label} sx={{ minWidth: 110 }}>
      <Typography variant="caption" color="text.secondary" component="div">
        {props.label}
      </Typography>
      <Typography
        variant={props.strong ? 'h5' : 'h6'}
        component="div"
        title={formatUsdExact(props.value)}
      >
        {formatUsd(props.value)}
      </Typography>
    </Box>
  );
}

/** The figures of a budget response: month to date, forecast, budget and status. */
export function SpendBudgetView(props: {
  report: SpendBudgetResponse;
  /** After "No budget set.": how to set one. */
  noBudgetHint?: string;
}) {
  const { report, noBudgetHint } = props;
  const budget = report.budget;
  const monthToDate = budget?.monthToDateUsd ?? report.monthToDateUsd;
  const forecast = budget?.forecastUsd ?? report.forecastUsd;
  const status = budget ? STATUS[budget.status] : undefined;

  return (
    <Stack spacing={2}>
      <Stack direction="row" gap={3} flexWrap="wrap" alignItems="flex-end">
        <Figure label="Month to date" value={monthToDate} strong />
        <Figure label="Month-end forecast" value={forecast} />
        {budget && <Figure label="Budget" value={budget.budgetUsd} />}
        {status && (
          <Chip
            size="small"
            color={status.color}
            label={status.label}
            data-testid="budget-status"
          />
        )}
      </Stack>
      {budget ? (
        <Box>
          <LinearProgress
            variant="determinate"
            color={status!.color}
            value={budgetProgress(monthToDate, budget.budgetUsd)}
            aria-label="month-to-date spend against budget"
            sx={{ height: 8, borderRadius: 4 }}
          />
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
            {formatShare(monthToDate, budget.budgetUsd)} of the {budget.month}{' '}
            budget spent; the forecast is{' '}
            {formatShare(forecast, budget.budgetUsd)}.
          </Typography>
        </Box>
      ) : (
        <Typography variant="body2" data-testid="no-budget">
          No budget set.{noBudgetHint && ` ${noBudgetHint}`}
        </Typography>
      )}
    </Stack>
  );
}

/**
 * On a Group or AIPipeline page: this month's AI spend against the budget,
 * with the month-end forecast. A Group's spend covers its sub-teams.
 */
export function EntitySpendCard() {
  const { entity } = useEntity();
  const api = useApi(aiPlatformApiRef);
  const ref = stringifyEntityRef(entity);
  const isGroup = entity.kind.toLocaleLowerCase('en-US') === 'group';
  const { value, loading, error } = useAsync(
    () => api.getSpendBudget(ref),
    [api, ref],
  );

  return (
    <InfoCard
      title="AI spend"
      subheader={
        isGroup
          ? 'This month (UTC), this team and its sub-teams'
          : 'This month (UTC)'
      }
    >
      {loading && <Progress />}
      {error && <SpendErrorPanel error={error} />}
      {value && (
        <SpendBudgetView
          report={value}
          noBudgetHint={
            isGroup
              ? 'Set the ai-platform.io/monthly-budget-usd annotation on the group to track one.'
              : 'Set spec.budget.monthlyUsd on the pipeline to track one.'
          }
        />
      )}
    </InfoCard>
  );
}
