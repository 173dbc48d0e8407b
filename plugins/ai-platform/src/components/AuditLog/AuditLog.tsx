import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AuditEvent } from '@aiplatform/plugin-ai-platform-common';
import Chip from '@mui/material/Chip';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
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

const columns: TableColumn<AuditEvent>[] = [
  {
    title: 'Time',
    field: 'at',
    defaultSort: 'desc',
    customSort: (a, b) => Date.parse(a.at) - Date.parse(b.at),
    render: e => <Timestamp iso={e.at} />,
  },
  {
    title: 'Type',
    field: 'type',
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
    field: 'entityRef',
    render: e => <EntityRefOrText value={e.entityRef} />,
  },
  {
    title: 'Actor',
    field: 'actor',
    render: e => <EntityRefOrText value={e.actor} kinds={ACTOR_KINDS} />,
  },
  { title: 'Message', field: 'message' },
];

/** Governance events of the AI Platform: halts, SLO breaches, budgets. */
export function AuditLog() {
  const api = useApi(aiPlatformApiRef);
  const { value, loading, error } = useAsync(() => api.listAudit(), [api]);
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  const items = value?.items ?? [];
  return (
    <Table<AuditEvent>
      title="Audit log"
      isLoading={loading}
      columns={columns}
      data={items}
      options={{ paging: items.length > 50, pageSize: 50, search: true }}
      emptyContent={
        <div style={{ padding: 16 }}>
          No governance events yet: halts, resumes, SLO breaches and budget
          alerts show up here.
        </div>
      }
    />
  );
}
