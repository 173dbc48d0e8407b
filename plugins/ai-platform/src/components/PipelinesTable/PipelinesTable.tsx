import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  PipelineSortKey,
  PipelineSummary,
} from '@aiplatform/plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { usePipelinesSignal } from '../../hooks/usePipelinesSignal';
import { DataTable, DataTableColumn, usePagedList } from '../DataTable';
import { OWNER_KINDS } from '../../lib/entityRefs';
import { EntityRefOrText } from '../EntityRefOrText';
import { FindingCountChips } from '../FindingChip';
import { HealthChip } from '../HealthChip';

/** The columns; those with a `sortKey` sort on the server (`GET /pipelines?sort=`). */
const columns: DataTableColumn<PipelineSummary, PipelineSortKey>[] = [
  {
    title: 'Pipeline',
    value: p => p.pipeline,
    sortKey: 'name',
    highlight: true,
    render: p => <EntityRefOrText value={p.pipeline} title={p.title} />,
  },
  {
    title: 'Owner',
    value: p => p.owner,
    sortKey: 'owner',
    render: p => <EntityRefOrText value={p.owner} kinds={OWNER_KINDS} />,
  },
  { title: 'Type', value: p => p.type },
  { title: 'Lifecycle', value: p => p.lifecycle },
  {
    title: 'Stages',
    value: p => p.stageCount,
    sortKey: 'stages',
    numeric: true,
  },
  {
    title: 'Gaps',
    value: p => p.findings.error,
    // The server sorts by the error count (ties by ref).
    sortKey: 'errors',
    render: p => <FindingCountChips counts={p.findings} />,
  },
  {
    title: 'Health',
    value: p => p.health,
    sortKey: 'health',
    render: p => <HealthChip health={p.health} />,
  },
];

/**
 * The AI pipelines in the catalog with their owner, gaps and health, a page
 * at a time (filtered, sorted and paged by the backend); the page is fetched
 * again, with the rows kept meanwhile, when the backend signals a change.
 */
export function PipelinesTable() {
  const api = useApi(aiPlatformApiRef);
  const changes = usePipelinesSignal();
  const { value, loading, error, paging } = usePagedList<
    PipelineSummary,
    PipelineSortKey
  >(options => api.listPipelines(options), [api, changes], { pageSize: 20 });
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <DataTable<PipelineSummary, PipelineSortKey>
      title="AI pipelines"
      loading={loading && !value}
      columns={columns}
      rows={value?.items ?? []}
      rowKey={p => p.pipeline}
      search
      paging={paging}
      emptyContent={
        <div style={{ padding: 16 }}>
          No AIPipeline entities in the catalog yet.
        </div>
      }
    />
  );
}
