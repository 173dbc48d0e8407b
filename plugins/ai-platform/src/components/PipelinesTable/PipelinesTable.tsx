import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { PipelineSummary } from '@aiplatform/plugin-ai-platform-common';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { OWNER_KINDS } from '../../lib/entityRefs';
import { EntityRefOrText } from '../EntityRefOrText';
import { FindingCountChips } from '../FindingChip';
import { HealthChip } from '../HealthChip';

const gaps = (p: PipelineSummary) =>
  p.findings.error * 10_000 + p.findings.warning * 100 + p.findings.info;

const columns: TableColumn<PipelineSummary>[] = [
  {
    title: 'Pipeline',
    field: 'pipeline',
    highlight: true,
    render: p => <EntityRefOrText value={p.pipeline} title={p.title} />,
  },
  {
    title: 'Owner',
    field: 'owner',
    render: p => <EntityRefOrText value={p.owner} kinds={OWNER_KINDS} />,
  },
  { title: 'Type', field: 'type' },
  { title: 'Lifecycle', field: 'lifecycle' },
  { title: 'Stages', field: 'stageCount', type: 'numeric' },
  {
    title: 'Gaps',
    field: 'findings',
    customSort: (a, b) => gaps(a) - gaps(b),
    render: p => <FindingCountChips counts={p.findings} />,
  },
  {
    title: 'Health',
    field: 'health',
    render: p => <HealthChip health={p.health} />,
  },
];

/** Every AI pipeline in the catalog with its owner, gaps and health. */
export function PipelinesTable() {
  const api = useApi(aiPlatformApiRef);
  const { value, loading, error } = useAsync(() => api.listPipelines(), [api]);
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <Table<PipelineSummary>
      title="AI pipelines"
      isLoading={loading}
      columns={columns}
      data={value?.items ?? []}
      options={{ paging: (value?.items.length ?? 0) > 20, pageSize: 20 }}
      emptyContent={
        <div style={{ padding: 16 }}>
          No AIPipeline entities in the catalog yet.
        </div>
      }
    />
  );
}
