import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { shortRef } from '@aiplatform/plugin-ai-platform-common';
import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import useAsync from 'react-use/esm/useAsync';
import { DashboardRange, aiPlatformApiRef } from '../../api/AiPlatformApi';
import { fileNamePart } from '../../lib/csv';
import { linkableEntityRef } from '../../lib/entityRefs';
import { SpendErrorPanel } from '../SpendErrorPanel';
import { SpendTable } from '../SpendTable';

export interface ServiceSpendLevelProps {
  /** The service (entity ref) drilled into. */
  service: string;
  /** Its team. */
  team: string;
  range: DashboardRange;
  csvSuffix: string;
}

/**
 * A service of a team: the models of the team. Spend is not broken down
 * by model per service, so the table is the team's, and says so.
 */
export function ServiceSpendLevel(props: ServiceSpendLevelProps) {
  const { service, team, range, csvSuffix } = props;
  const api = useApi(aiPlatformApiRef);
  const { from, to } = range;
  const models = useAsync(
    () =>
      api.getSpend({
        from,
        to,
        groupBy: 'model',
        team,
        includeSubteams: false,
      }),
    [api, from, to, team],
  );
  const teamName = shortRef(team);
  const serviceRef = linkableEntityRef(service);

  return (
    <Stack spacing={2}>
      <Alert severity="info" variant="outlined">
        Spend is broken down by model per team, not per service: these are the
        models of all of {teamName}&apos;s services, {shortRef(service)}{' '}
        included.{' '}
        {serviceRef && (
          <EntityRefLink entityRef={serviceRef}>
            {shortRef(service)} in the catalog
          </EntityRefLink>
        )}
      </Alert>
      {models.loading && <Progress />}
      {models.error && <SpendErrorPanel error={models.error} title="Models" />}
      {models.value && (
        <SpendTable
          title={`Models of ${teamName}`}
          groupBy="model"
          items={models.value.items}
          csvFilename={`ai-spend-${fileNamePart(team)}-models-${csvSuffix}.csv`}
          emptyText={`${teamName} used no model in this range.`}
        />
      )}
    </Stack>
  );
}
