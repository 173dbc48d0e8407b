import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  OwnedStage,
  OwnedStageSortKey,
} from '@aiplatform/plugin-ai-platform-common';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { DataTable, DataTableColumn, usePagedList } from '../DataTable';
import { EntityRefOrText } from '../EntityRefOrText';

/** The columns; those with a `sortKey` sort on the server (`GET /stages?sort=`). */
const columns: DataTableColumn<OwnedStage, OwnedStageSortKey>[] = [
  {
    title: 'Pipeline',
    value: s => s.pipeline,
    sortKey: 'pipeline',
    render: s => <EntityRefOrText value={s.pipeline} title={s.pipelineTitle} />,
  },
  { title: 'Stage', value: s => s.stage, sortKey: 'stage' },
  { title: 'Type', value: s => s.type },
  {
    title: 'Owned through',
    value: s => s.entityRef,
    render: s =>
      s.ownerSource === 'entity' && s.entityRef ? (
        <EntityRefOrText value={s.entityRef} />
      ) : (
        <Chip size="small" variant="outlined" label="named in the pipeline" />
      ),
  },
];

/**
 * On a Group (or User) page: the AI pipeline stages it owns, in any
 * pipeline, a page at a time (filtered, sorted and paged by the backend).
 */
export function OwnedStagesCard() {
  const { entity } = useEntity();
  const api = useApi(aiPlatformApiRef);
  const ref = stringifyEntityRef(entity);
  const { value, loading, error, paging } = usePagedList<
    OwnedStage,
    OwnedStageSortKey
  >(options => api.getOwnedStages(ref, options), [api, ref], {
    pageSize: 10,
    list: ref,
  });

  return (
    <InfoCard
      title="AI pipeline stages"
      subheader="Stages this team owns, in its own and other teams' pipelines"
    >
      {error ? (
        <ResponseErrorPanel error={error} />
      ) : (
        <DataTable<OwnedStage, OwnedStageSortKey>
          title="owned stages"
          hideTitle
          loading={loading && !value}
          columns={columns}
          rows={value?.items ?? []}
          rowKey={s => `${s.pipeline}/${s.stage}`}
          search
          paging={paging}
          emptyContent={
            <Typography variant="body2">
              {entity.kind.toLocaleLowerCase('en-US') === 'user'
                ? 'This user owns no stage of any AI pipeline.'
                : 'This team owns no stage of any AI pipeline.'}
            </Typography>
          }
        />
      )}
    </InfoCard>
  );
}
