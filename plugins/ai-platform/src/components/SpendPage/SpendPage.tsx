import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { shortRef } from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { SpendDrilldown, teamOfPath } from '../SpendDrilldown';
import { SpendErrorPanel } from '../SpendErrorPanel';
import { SpendRangePicker, spendRangeBounds } from '../SpendRangePicker';
import { SpendSummary } from '../SpendSummary';
import { SpendTrendChart } from '../SpendTrendChart';
import { UnattributedSpendCard } from '../UnattributedSpendCard';
import { UnpricedModelsCard } from '../UnpricedModelsCard';
import { useSpendView } from './useSpendView';

const day = (iso: string) => iso.slice(0, 10);

/**
 * AI spend over a range: totals, the usage no one claims (shadow AI),
 * models without a price, the daily trend by model, and the teams ranked
 * by cost with a drill-down to sub-teams, services and models. The range
 * and the drill-down are in the URL's query string (see `useSpendView`).
 */
export function SpendPage() {
  const api = useApi(aiPlatformApiRef);
  const [view, setView] = useSpendView();
  const { range: rangeId, path } = view;
  const range = useMemo(() => spendRangeBounds(rangeId), [rangeId]);
  const { from, to } = range;
  const scopeTeam = teamOfPath(path);
  const csvSuffix = `${day(from)}-${day(to)}`;

  const spend = useAsync(
    () => api.getSpend({ from, to, groupBy: 'team' }),
    [api, from, to],
  );
  const daily = useAsync(
    () =>
      api.getDailySpend(
        scopeTeam
          ? {
              from,
              to,
              groupBy: 'model',
              team: scopeTeam,
              includeSubteams: true,
            }
          : { from, to, groupBy: 'model' },
      ),
    [api, from, to, scopeTeam],
  );
  const unpriced = useAsync(
    () => api.getUnpricedModels({ from, to }),
    [api, from, to],
  );

  return (
    <Stack spacing={3}>
      <Stack
        direction="row"
        justifyContent="space-between"
        alignItems="center"
        gap={2}
        flexWrap="wrap"
      >
        <Typography variant="body2" color="text.secondary">
          AI spend from {day(from)} to {day(to)} (UTC), for the teams you may
          see. Unpriced requests count as unknown, never as zero.
        </Typography>
        <SpendRangePicker
          value={rangeId}
          onChange={next => setView({ ...view, range: next })}
        />
      </Stack>

      {spend.loading && <Progress />}
      {spend.error && <SpendErrorPanel error={spend.error} title="AI spend" />}
      {spend.value && <SpendSummary spend={spend.value} />}

      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' },
          alignItems: 'start',
        }}
      >
        {spend.value && (
          <UnattributedSpendCard
            unattributed={spend.value.unattributed}
            total={spend.value.total}
            csvFilename={`ai-spend-unattributed-${csvSuffix}.csv`}
          />
        )}
        <Box>
          {unpriced.loading && <Progress />}
          {unpriced.error && (
            <SpendErrorPanel error={unpriced.error} title="Unpriced models" />
          )}
          {unpriced.value && (
            <UnpricedModelsCard items={unpriced.value.items} />
          )}
        </Box>
      </Box>

      <InfoCard
        title="Daily spend by model"
        subheader={
          scopeTeam
            ? `${shortRef(scopeTeam)} and its sub-teams`
            : 'All teams you may see'
        }
      >
        {daily.loading && <Progress />}
        {daily.error && (
          <SpendErrorPanel error={daily.error} title="Daily spend" />
        )}
        {daily.value && (
          <SpendTrendChart items={daily.value.items} from={from} to={to} />
        )}
      </InfoCard>

      {spend.value && (
        <InfoCard title="Spend by team">
          <SpendDrilldown
            range={range}
            teams={spend.value.items}
            path={path}
            onPathChange={next => setView({ ...view, path: next })}
            csvSuffix={csvSuffix}
          />
        </InfoCard>
      )}
    </Stack>
  );
}
