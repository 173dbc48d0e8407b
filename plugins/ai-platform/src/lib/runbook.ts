import {
  HealthSuspect,
  PipelineHealth,
  runbookFor,
} from '@aiplatform/plugin-ai-platform-common';

/**
 * `value` when it is an absolute http(s) URL, the only runbooks shown as
 * links; undefined for anything else (`javascript:`, `data:`, relative or
 * malformed URLs, non-strings). Never throws.
 */
export function safeRunbookUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:'
    ? value
    : undefined;
}

/** The part of an AIPipeline's spec that names runbooks. */
export type RunbookSpec = Parameters<typeof runbookFor>[0];

/**
 * The runbook fields of an entity's `spec`, as far as they have the right
 * shape (the catalog may hold entities its validator never saw).
 */
export function runbookSpecOf(spec: unknown): RunbookSpec {
  const value = (spec ?? {}) as { runbook?: unknown; stages?: unknown };
  const stages = Array.isArray(value.stages) ? value.stages : [];
  return {
    runbook: typeof value.runbook === 'string' ? value.runbook : undefined,
    stages: stages
      .filter(
        (s): s is { name: string; runbook?: unknown } =>
          typeof s === 'object' && s !== null && typeof s.name === 'string',
      )
      .map(s => ({
        name: s.name,
        runbook: typeof s.runbook === 'string' ? s.runbook : undefined,
      })) as RunbookSpec['stages'],
  };
}

/**
 * The runbook the health banner links: the suspect stage's (else the
 * pipeline's) when there is a suspect; the pipeline's when it is failing or
 * halted without one; none while it is fine. Only http(s) URLs.
 */
export function bannerRunbook(
  spec: RunbookSpec | undefined,
  health: PipelineHealth,
  suspect: HealthSuspect | null,
): string | undefined {
  if (!spec) return undefined;
  if (suspect) return safeRunbookUrl(runbookFor(spec, suspect.stage));
  if (health === 'failing' || health === 'halted') {
    return safeRunbookUrl(runbookFor(spec));
  }
  return undefined;
}
