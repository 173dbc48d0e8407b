import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { shortRef } from '@aiplatform/plugin-ai-platform-common';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { DashboardRange, aiPlatformApiRef } from '../../api/AiPlatformApi';
import { fileNamePart } from '../../lib/csv';
import { OWNER_KINDS, linkableEntityRef } from '../../lib/entityRefs';
import { formatUsd, formatUsdExact } from '../../lib/format';
import { SpendErrorPanel } from '../SpendErrorPanel';
import { SpendTable } from '../SpendTable';
import { sameRef } from './path';

/** The accessible name of a row that drills down. */
const drillLabel = (label: string) => `Drill into ${label}`;

export interface TeamSpendLevelProps {
  team: string;
  range: DashboardRange;
  /** Suffix of the CSV file names, e.g. the range's days. */
  csvSuffix: string;
  onSelectTeam: (ref: string) => void;
  onSelectService: (ref: string) => void;
}

/**
 * One team: its sub-teams (the groups below it that spent anything) and
 * its services (the entities it owns), each ranked by cost.
 */
export function TeamSpendLevel(props: TeamSpendLevelProps) {
  const { team, range, csvSuffix, onSelectTeam, onSelectService } = props;
  const api = useApi(aiPlatformApiRef);
  const { from, to } = range;
  const teams = useAsync(
    () =>
      api.getSpend({ from, to, groupBy: 'team', team, includeSubteams: true }),
    [api, from, to, team],
  );
  const services = useAsync(
    () =>
      api.getSpend({
        from,
        to,
        groupBy: 'service',
        team,
        includeSubteams: false,
      }),
    [api, from, to, team],
  );

  const name = shortRef(team);
  const items = teams.value?.items ?? [];
  const subteams = items.filter(item => !sameRef(item.key, team));
  const own = items.find(item => sameRef(item.key, team))?.costUsd ?? 0;
  const withSubteams = items.reduce((sum, item) => sum + item.costUsd, 0);
  const file = fileNamePart(team);
  const teamRef = linkableEntityRef(team, OWNER_KINDS);

  return (
    <Stack spacing={3}>
      {teams.value && (
        <Stack direction="row" gap={3} flexWrap="wrap" alignItems="baseline">
          <Typography variant="body1" title={formatUsdExact(own)}>
            Own spend: <strong>{formatUsd(own)}</strong>
          </Typography>
          <Typography variant="body1" title={formatUsdExact(withSubteams)}>
            With sub-teams: <strong>{formatUsd(withSubteams)}</strong>
          </Typography>
          {teamRef && (
            <EntityRefLink entityRef={teamRef}>
              {name} in the catalog
            </EntityRefLink>
          )}
        </Stack>
      )}
      {teams.loading && <Progress />}
      {teams.error && <SpendErrorPanel error={teams.error} title="Sub-teams" />}
      {teams.value && (
        <SpendTable
          title="Sub-teams"
          description={`Groups below ${name}, each with its own spend`}
          groupBy="team"
          items={subteams}
          selectLabel={drillLabel}
          onSelect={onSelectTeam}
          csvFilename={`ai-spend-${file}-sub-teams-${csvSuffix}.csv`}
          emptyText={`No sub-team of ${name} spent anything in this range.`}
        />
      )}
      {services.loading && <Progress />}
      {services.error && (
        <SpendErrorPanel error={services.error} title="Services" />
      )}
      {services.value && (
        <SpendTable
          title="Services"
          description={`Catalog entities ${name} owns itself`}
          groupBy="service"
          items={services.value.items}
          selectLabel={drillLabel}
          onSelect={onSelectService}
          csvFilename={`ai-spend-${file}-services-${csvSuffix}.csv`}
          emptyText={`No service of ${name} spent anything in this range.`}
        />
      )}
    </Stack>
  );
}
