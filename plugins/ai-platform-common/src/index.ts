/**
 * Shared types, the AIPipeline kind and the pure analysis of the AI Platform
 * plugins: the frontend and backend agree by construction.
 *
 * @packageDocumentation
 */
export * from './kind/constants';
export * from './kind/schema';
export * from './kind/types';
export * from './kind/validate';
export * from './ownership/types';
export * from './ownership/catalogIndex';
export * from './ownership/analyzePipeline';
export * from './ownership/report';
export * from './ownership/layoutDag';
export * from './api/types';
export * from './signals/types';
export * from './slo/types';
export * from './permissions';
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
