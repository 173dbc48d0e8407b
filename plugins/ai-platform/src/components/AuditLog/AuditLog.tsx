import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AuditEvent } from '@aiplatform/plugin-ai-platform-common';
import Chip from '@mui/material/Chip';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { DataTable, DataTableColumn } from '../DataTable';
import { ACTOR_KINDS } from '../../lib/entityRefs';
import { EntityRefOrText } from '../EntityRefOrText';
import { Timestamp } from '../HaltNotice';

const TYPE_COLOR: Record<
  AuditEvent['type'],
  'error' | 'warning' | 'success' | 'info' | 'default'
> = {
  'pipeline.halted': 'error',
  'pipeline.resumed': 'success',
  'slo.breached': 'error',
  'budget.exceeded': 'warning',
  'budget.forecast-exceeded': 'warning',
  'service.scaffolded': 'info',
};

const columns: DataTableColumn<AuditEvent>[] = [
  {
    title: 'Time',
    value: e => e.at,
    compare: (a, b) => Date.parse(a.at) - Date.parse(b.at),
    render: e => <Timestamp iso={e.at} />,
  },
  {
    title: 'Type',
    value: e => e.type,
    render: e => (
      <Chip
        size="small"
        variant="outlined"
        color={TYPE_COLOR[e.type] ?? 'default'}
        label={e.type}
      />
    ),
  },
  {
    title: 'Entity',
    value: e => e.entityRef,
    render: e => <EntityRefOrText value={e.entityRef} />,
  },
  {
    title: 'Actor',
    value: e => e.actor,
    render: e => <EntityRefOrText value={e.actor} kinds={ACTOR_KINDS} />,
  },
  { title: 'Message', value: e => e.message },
];

/** Governance events of the AI Platform: halts, SLO breaches, budgets. */
export function AuditLog() {
  const api = useApi(aiPlatformApiRef);
  const { value, loading, error } = useAsync(() => api.listAudit(), [api]);
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <DataTable<AuditEvent>
      title="Audit log"
      loading={loading}
      columns={columns}
      rows={value?.items ?? []}
      rowKey={e => e.id}
      defaultSort={{ column: 'Time', direction: 'desc' }}
      search
      pageSize={50}
      emptyContent={
        <div style={{ padding: 16 }}>
          No governance events yet: halts, resumes, SLO breaches and budget
          alerts show up here.
        </div>
      }
    />
  );
}
