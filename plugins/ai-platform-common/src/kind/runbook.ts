import { AIPipelineSpec } from './types';

/**
 * The runbook for a pipeline's trouble: the stage's own `runbook` when the
 * trouble is in a stage that has one, else the pipeline's `spec.runbook`.
 * Undefined when neither is set.
 *
 * @public
 */
export function runbookFor(
  spec: Pick<AIPipelineSpec, 'runbook' | 'stages'>,
  stage?: string | null,
): string | undefined {
  const own = stage
    ? spec.stages.find(s => s.name === stage)?.runbook
    : undefined;
  return own ?? spec.runbook;
}
