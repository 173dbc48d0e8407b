import { z } from 'zod';
import {
  AI_PIPELINE_API_VERSION,
  AI_PIPELINE_KIND,
  PIPELINE_TYPES,
  SIGNAL_NAMES,
  SLO_OPERATORS,
  STAGE_TYPES,
} from './constants';

/**
 * An entity reference as written in YAML: `[kind:][namespace/]name`.
 * Kinds, namespaces and names follow the catalog's own character rules.
 */
const ENTITY_REF_PATTERN =
  /^(?:[a-zA-Z][a-zA-Z0-9_-]*:)?(?:[a-z0-9A-Z_.-]+\/)?[a-z0-9A-Z][a-z0-9A-Z_.-]*$/;

/** @public */
export const entityRefSchema = z.string().min(1).regex(ENTITY_REF_PATTERN, {
  message: 'must be an entity reference like "group:default/ml-team"',
});

const nameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/, {
    message:
      'must be 1-63 lowercase letters, digits or single "-", "_", "." between them',
  });

/**
 * A duration such as `30m`, `6h`, `28d`.
 *
 * @public
 */
export const durationSchema = z
  .string()
  .regex(/^\d+(ms|s|m|h|d|w)$/, {
    message: 'must be a duration like 28d or 6h',
  });

/** @public */
export const datasetSchema = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
});

/**
 * A PromQL query the Prometheus collector evaluates on a schedule; its value
 * becomes a point of `signal` (for the stage, or end to end at pipeline level).
 *
 * @public
 */
export const metricQuerySchema = z.object({
  signal: z.enum(SIGNAL_NAMES),
  query: z.string().min(1, 'must be a PromQL query'),
});

/**
 * A runbook: an absolute http(s) URL, where on-call reads what to do.
 *
 * @public
 */
export const runbookSchema = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine(value => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL like "https://runbooks.example.com/kb-answers"');

/**
 * One rule of `spec.governance.haltOn`: the SLO watcher halts the pipeline
 * when the named SLO reaches `status` (`breached`; `at-risk` also halts on a
 * firing burn-rate alert or a budget nearly spent, and on a breach).
 *
 * @public
 */
export const haltOnRuleSchema = z.object({
  slo: z.string().min(1, 'must name an SLO of spec.slos'),
  status: z.enum(['breached', 'at-risk']).default('breached'),
});

/** @public */
export const stageSchema = z.object({
  name: nameSchema,
  type: z.enum(STAGE_TYPES),
  title: z.string().optional(),
  description: z.string().optional(),
  entityRef: entityRefSchema.optional(),
  owner: entityRefSchema.optional(),
  dependsOn: z.array(z.string().min(1)).optional(),
  outputs: z.array(datasetSchema).optional(),
  metrics: z.array(metricQuerySchema).optional(),
  runbook: runbookSchema.optional(),
});

/** @public */
export const sloSchema = z.object({
  name: nameSchema,
  signal: z.enum(SIGNAL_NAMES),
  stage: z.string().min(1).nullable().optional(),
  objective: z.object({
    op: z.enum(SLO_OPERATORS),
    threshold: z.number().refine(Number.isFinite, 'must be a finite number'),
  }),
  target: z
    .number()
    .gt(0, 'must be above 0')
    .lt(1, 'must be below 1 (a fraction such as 0.99)'),
  window: durationSchema.default('28d'),
  description: z.string().optional(),
});

/** @public */
export const aiPipelineSpecSchema = z.object({
  type: z.enum(PIPELINE_TYPES),
  lifecycle: z.string().min(1),
  owner: entityRefSchema,
  system: entityRefSchema.optional(),
  stages: z.array(stageSchema).min(1, 'must list at least one stage'),
  slos: z.array(sloSchema).optional(),
  metrics: z.array(metricQuerySchema).optional(),
  budget: z.object({ monthlyUsd: z.number().nonnegative() }).optional(),
  runbook: runbookSchema.optional(),
  governance: z
    .object({ haltOn: z.array(haltOnRuleSchema).optional() })
    .optional(),
});

/**
 * The whole AIPipeline entity; metadata is validated by the catalog itself.
 *
 * @public
 */
export const aiPipelineEntitySchema = z.object({
  apiVersion: z.literal(AI_PIPELINE_API_VERSION),
  kind: z.literal(AI_PIPELINE_KIND),
  metadata: z
    .object({ name: z.string().min(1), namespace: z.string().optional() })
    .passthrough(),
  spec: aiPipelineSpecSchema,
});

/**
 * JSON Schema (draft 2020-12) of the AIPipeline entity, derived from the zod
 * schema so the two cannot drift. Useful for editors and external tooling.
 *
 * @public
 */
export const aiPipelineJsonSchema: Record<string, unknown> = z.toJSONSchema(
  aiPipelineEntitySchema,
  { io: 'input', unrepresentable: 'any' },
) as Record<string, unknown>;
