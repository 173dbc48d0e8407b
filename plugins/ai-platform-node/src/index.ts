/**
 * Backend library of the AI Platform plugins: the analysis behind the
 * backend's answers (ownership graphs and findings, SLOs and pipeline health,
 * usage pricing, attribution, rollups and budgets), the LiteLLM mapping, the
 * spend permission rules, and the scaffolder's settings.
 *
 * @packageDocumentation
 */
export * from './ownership/types';
export * from './ownership/catalogIndex';
export * from './ownership/analyzePipeline';
export * from './ownership/report';
export * from './signals/types';
export * from './slo/types';
export * from './slo/duration';
export * from './slo/evaluateSlo';
export * from './slo/pipelineHealth';
export * from './validation/boundedText';
export * from './usage/types';
export * from './usage/timestamp';
export * from './usage/refs';
export * from './usage/usageSchema';
export * from './usage/litellm';
export * from './usage/pricing';
export * from './usage/normalize';
export * from './usage/attribution';
export * from './usage/budget';
export * from './usage/rollup';
export * from './scaffolder/annotations';
export * from './scaffolder/settings';
export * from './scaffolder/readSettings';
export * from './spendPermissions';
export * from './ownerAccess';
export * from './governance/haltEnforcers';
