import type { z as zod } from 'zod/v3';
import {
  OWNERSHIP_FINDING_CODES,
  SIGNAL_NAMES,
  SPEND_GROUP_BY,
  STAGE_TYPES,
} from '@aiplatform/plugin-ai-platform-common';

/**
 * The zod the actions registry hands to an action's schema functions (its
 * zod v3 API, which it turns into the JSON schemas agents see).
 */
export type Zod = typeof zod;

/*
 * The shapes of the actions' inputs and outputs. Outputs are the HTTP API's
 * response bodies (src/schema/openapi.yaml, the types of
 * @aiplatform/plugin-ai-platform-common): the registry parses an action's
 * output with its schema and drops keys the schema does not name, so each
 * object here names every field the route answers with.
 */

/** The `pipeline` input: which AIPipeline. */
export const pipelineInput = (z: Zod) =>
  z
    .string()
    .min(1)
    .describe(
      'The AIPipeline: an entity ref such as "aipipeline:default/kb-answers", or "default/kb-answers", or its name "kb-answers" (namespace default)',
    );

/** `from`/`to` inputs of a time range. */
export const timeInput = (z: Zod, what: string) =>
  z.string().datetime({ offset: true }).optional().describe(what);

/** A team (Group) or user ref input. */
export const ownerInput = (z: Zod, what: string) =>
  z
    .string()
    .min(1)
    .describe(
      `${what}: an entity ref such as "group:default/ml-team", or a group's name "ml-team"`,
    );

/** `HaltState` (`GET /pipelines/:namespace/:name/halt`). */
export const haltStateSchema = (z: Zod) =>
  z.object({
    halted: z.boolean(),
    reason: z.string().nullable().describe('Why it was halted or resumed'),
    by: z.string().nullable().describe('Who halted or resumed it'),
    at: z.string().nullable().describe('When, ISO 8601'),
    policy: z
      .object({ slo: z.string() })
      .optional()
      .describe(
        'Set while halted by the spec.governance.haltOn policy: the SLO that halted it',
      ),
    enforcement: z
      .array(
        z.object({
          enforcer: z.string().describe('Enforcer id, e.g. litellm, webhook'),
          target: z.string().describe('What it acted on'),
          status: z.enum(['applied', 'failed', 'pending']),
          message: z.string(),
        }),
      )
      .optional()
      .describe(
        'What each halt enforcer did for the last halt or resume; absent when none acted',
      ),
  });

/** `OwnershipFinding`. */
export const findingSchema = (z: Zod) =>
  z.object({
    code: z.enum(OWNERSHIP_FINDING_CODES),
    severity: z.enum(['error', 'warning', 'info']),
    stage: z.string().optional().describe('The stage it is about, if one'),
    message: z.string(),
  });

/** `PipelineOwnership` (`GET /pipelines/:namespace/:name/ownership`). */
export const pipelineOwnershipSchema = (z: Zod) =>
  z.object({
    pipeline: z.string(),
    owner: z.string(),
    stages: z.array(
      z.object({
        name: z.string(),
        type: z.enum(STAGE_TYPES),
        owner: z
          .string()
          .nullable()
          .describe("The effective owner: the stage entity's, else inline"),
        ownerSource: z.enum(['entity', 'inline']).nullable(),
        entityRef: z.string().nullable(),
      }),
    ),
    edges: z
      .array(z.object({ from: z.string(), to: z.string() }))
      .describe('Stage `to` depends on stage `from`'),
    findings: z.array(findingSchema(z)),
    consumers: z.array(
      z.object({ entityRef: z.string(), owner: z.string().nullable() }),
    ),
  });

/** `OwnershipReport` (`GET /ownership/report`). */
export const ownershipReportSchema = (z: Zod) =>
  z.object({
    items: z.array(
      z.object({
        pipeline: z.string(),
        owner: z.string(),
        findings: z.array(findingSchema(z)),
      }),
    ),
  });

/** `SloReport`. */
export const sloReportSchema = (z: Zod) =>
  z.object({
    name: z.string(),
    signal: z.enum(SIGNAL_NAMES),
    stage: z.string().nullable(),
    objective: z.object({ op: z.string(), threshold: z.number() }),
    target: z.number(),
    window: z.string(),
    status: z.enum(['ok', 'at-risk', 'breached', 'no-data']),
    attainment: z.number().nullable(),
    errorBudgetRemaining: z.number().nullable(),
    burnRates: z.array(
      z.object({
        long: z.string(),
        short: z.string(),
        threshold: z.number(),
        severity: z.enum(['page', 'ticket']),
        longRate: z.number().nullable(),
        shortRate: z.number().nullable(),
        firing: z.boolean(),
      }),
    ),
  });

/** The dashboard without its series (`GET /pipelines/:namespace/:name/dashboard`). */
export const pipelineHealthSchema = (z: Zod) =>
  z.object({
    pipeline: z.string(),
    from: z.string(),
    to: z.string(),
    health: z.enum(['healthy', 'degraded', 'failing', 'halted', 'unknown']),
    explanation: z.string().describe('Why the pipeline has this health'),
    suspect: z
      .object({
        stage: z.string(),
        signal: z.enum(SIGNAL_NAMES),
        reason: z.string(),
      })
      .nullable()
      .describe('The stage most likely behind a failing pipeline'),
    slos: z.array(sloReportSchema(z)),
    halt: haltStateSchema(z),
    hiddenSignals: z
      .array(z.enum(SIGNAL_NAMES))
      .optional()
      .describe(
        'Signals left out for this caller (cost, without ai-platform.spend.read for the owner)',
      ),
  });

/** `SpendResponse` (`GET /spend`). */
export const spendResponseSchema = (z: Zod) =>
  z.object({
    currency: z.literal('USD'),
    total: z.number(),
    items: z.array(
      z.object({
        key: z.string(),
        costUsd: z.number(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        requests: z.number(),
        unpricedRequests: z.number().optional(),
      }),
    ),
    unattributed: z.object({
      costUsd: z.number(),
      requests: z.number(),
      items: z.array(
        z.object({
          key: z.string(),
          keyType: z.enum(['key-alias', 'team', 'tag', 'unknown']),
          costUsd: z.number(),
          requests: z.number(),
        }),
      ),
    }),
    unpricedRequests: z.number().optional(),
  });

/** `groupBy` of `GET /spend`. */
export const spendGroupByInput = (z: Zod) =>
  z
    .enum(SPEND_GROUP_BY)
    .optional()
    .describe('How to break the spend down (default team)');
