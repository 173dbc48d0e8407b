import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  OwnershipReportItem,
  OwnershipReportSortKey,
  shortRef,
} from '@aiplatform/plugin-ai-platform-common';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { DataTable, DataTableColumn, usePagedList } from '../DataTable';
import { OWNER_KINDS } from '../../lib/entityRefs';
import { EntityRefOrText } from '../EntityRefOrText';
import { FindingChip } from '../FindingChip';

interface TeamOption {
  ref: string;
  label: string;
}

/** The columns; those with a `sortKey` sort on the server (`GET /ownership/report?sort=`). */
const columns: DataTableColumn<OwnershipReportItem, OwnershipReportSortKey>[] =
  [
    {
      title: 'Pipeline',
      value: i => i.pipeline,
      sortKey: 'pipeline',
      render: i => <EntityRefOrText value={i.pipeline} />,
    },
    {
      title: 'Owner',
      value: i => i.owner,
      sortKey: 'owner',
      render: i => <EntityRefOrText value={i.owner} kinds={OWNER_KINDS} />,
    },
    {
      title: 'Findings',
      value: i => i.findings.length,
      // The server sorts by the error count (ties by ref); its filter also
      // matches the findings' codes and messages.
      sortKey: 'errors',
      render: i => (
        <Stack direction="row" flexWrap="wrap" gap={0.5}>
          {i.findings.map((f, idx) => (
            <FindingChip
              key={`${f.code}-${f.stage ?? ''}-${idx}`}
              finding={f}
            />
          ))}
        </Stack>
      ),
    },
  ];

/**
 * Ownership findings across the catalog, filterable by team (with
 * sub-teams), a page at a time (filtered, sorted and paged by the backend).
 */
export function OwnershipReport() {
  const api = useApi(aiPlatformApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [team, setTeam] = useState<TeamOption | null>(null);

  const teams = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group' },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    return items
      .map(e => ({
        ref: stringifyEntityRef(e),
        label: e.metadata.title ?? shortRef(stringifyEntityRef(e)),
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [catalogApi]);

  const report = usePagedList<OwnershipReportItem, OwnershipReportSortKey>(
    options => api.getOwnershipReport(team?.ref, options),
    [api, team?.ref],
    { pageSize: 20, list: team?.ref },
  );

  return (
    <Box>
      <Autocomplete<TeamOption>
        sx={{ maxWidth: 360, mb: 2 }}
        options={teams.value ?? []}
        loading={teams.loading}
        value={team}
        onChange={(_e, value) => setTeam(value)}
        getOptionLabel={o => o.label}
        isOptionEqualToValue={(a, b) => a.ref === b.ref}
        renderInput={params => (
          <TextField
            {...params}
            label="Team (includes sub-teams)"
            placeholder="All teams"
          />
        )}
      />
      {report.error ? (
        <ResponseErrorPanel error={report.error} />
      ) : (
        <DataTable<OwnershipReportItem, OwnershipReportSortKey>
          title={team ? `Ownership gaps: ${team.label}` : 'Ownership gaps'}
          loading={report.loading && !report.value}
          columns={columns}
          rows={report.value?.items ?? []}
          rowKey={i => i.pipeline}
          search
          paging={report.paging}
        />
      )}
    </Box>
  );
}
