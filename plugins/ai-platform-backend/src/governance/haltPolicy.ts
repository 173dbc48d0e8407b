import {
  AIPipelineEntityV1alpha1,
  AIPipelineHaltOnRule,
  SloStatus,
} from '@aiplatform/plugin-ai-platform-common';

/** The actor of a halt by policy, as the audit log and the halt state say it. */
export function policyActor(slo: string): string {
  return `ai-platform (policy ${slo})`;
}

/**
 * Whether an SLO in `status` triggers the rule: `breached` only on a breach,
 * `at-risk` on a breach too (it is worse).
 */
export function ruleMatches(
  rule: AIPipelineHaltOnRule,
  status: SloStatus | undefined,
): boolean {
  if (status === 'breached') return true;
  return rule.status === 'at-risk' && status === 'at-risk';
}

/** The pipeline's `spec.governance.haltOn` rule for an SLO, if any. */
export function haltRuleFor(
  pipeline: AIPipelineEntityV1alpha1,
  slo: string,
): AIPipelineHaltOnRule | undefined {
  return pipeline.spec.governance?.haltOn?.find(rule => rule.slo === slo);
}
