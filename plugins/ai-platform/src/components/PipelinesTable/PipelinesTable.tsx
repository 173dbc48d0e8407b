import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { PipelineSummary } from '@aiplatform/plugin-ai-platform-common';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { usePipelinesSignal } from '../../hooks/usePipelinesSignal';
import { DataTable, DataTableColumn } from '../DataTable';
import { OWNER_KINDS } from '../../lib/entityRefs';
import { EntityRefOrText } from '../EntityRefOrText';
import { FindingCountChips } from '../FindingChip';
import { HealthChip } from '../HealthChip';

const gaps = (p: PipelineSummary) =>
  p.findings.error * 10_000 + p.findings.warning * 100 + p.findings.info;

const columns: DataTableColumn<PipelineSummary>[] = [
  {
    title: 'Pipeline',
    value: p => p.pipeline,
    highlight: true,
    render: p => <EntityRefOrText value={p.pipeline} title={p.title} />,
  },
  {
    title: 'Owner',
    value: p => p.owner,
    render: p => <EntityRefOrText value={p.owner} kinds={OWNER_KINDS} />,
  },
  { title: 'Type', value: p => p.type },
  { title: 'Lifecycle', value: p => p.lifecycle },
  { title: 'Stages', value: p => p.stageCount, numeric: true },
  {
    title: 'Gaps',
    value: gaps,
    render: p => <FindingCountChips counts={p.findings} />,
  },
  {
    title: 'Health',
    value: p => p.health,
    render: p => <HealthChip health={p.health} />,
  },
];

/**
 * Every AI pipeline in the catalog with its owner, gaps and health; fetched
 * again, with the rows kept meanwhile, when the backend signals a change.
 */
export function PipelinesTable() {
  const api = useApi(aiPlatformApiRef);
  const changes = usePipelinesSignal();
  const { value, loading, error } = useAsync(
    () => api.listPipelines(),
    [api, changes],
  );
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <DataTable<PipelineSummary>
      title="AI pipelines"
      loading={loading && !value}
      columns={columns}
      rows={value?.items ?? []}
      rowKey={p => p.pipeline}
      pageSize={20}
      emptyContent={
        <div style={{ padding: 16 }}>
          No AIPipeline entities in the catalog yet.
        </div>
      }
    />
  );
}
