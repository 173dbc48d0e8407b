/**
 * What the AI Platform's browser and backend packages share: the AIPipeline
 * kind (types, schema, validator), the HTTP API's shapes, the permissions,
 * and the little analysis the UI does itself (finding counts, DAG layout).
 *
 * @packageDocumentation
 */
export * from './kind/constants';
export * from './kind/schema';
export * from './kind/types';
export * from './kind/runbook';
export * from './kind/validate';
export * from './kind/stageGraph';
export * from './ownership/types';
export * from './ownership/report';
export * from './ownership/shortRef';
export * from './ownership/layoutDag';
export * from './api/types';
export * from './api/pagination';
export * from './signals/types';
export * from './signals/format';
export * from './signals/liveUpdates';
export * from './signals/enforcementSummary';
export * from './permissions';
export * from './usage/types';
export * from './scaffolder/types';
