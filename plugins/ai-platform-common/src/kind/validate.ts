import { parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { aiPipelineEntitySchema, entityRefSchema } from './schema';
import { createStageGraph, StageEdge } from './stageGraph';
import { AIPipelineEntityV1alpha1 } from './types';

/**
 * One problem with an AIPipeline entity, with the field it is about.
 *
 * @public
 */
export interface AIPipelineValidationIssue {
  /** Path of the field, e.g. `spec.stages[2].dependsOn[0]`. */
  field: string;
  message: string;
}

/** @public */
export type AIPipelineValidationResult =
  | { valid: true; entity: AIPipelineEntityV1alpha1 }
  | { valid: false; issues: AIPipelineValidationIssue[] };

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}

const OWNER_KINDS = ['group', 'user'];

function checkOwnerRef(
  ref: string,
  field: string,
  issues: AIPipelineValidationIssue[],
) {
  const kind = parseEntityRef(ref, { defaultKind: 'group' }).kind;
  if (!OWNER_KINDS.includes(kind.toLowerCase())) {
    issues.push({
      field,
      message: `owner "${ref}" must reference a Group or a User, not a ${kind}`,
    });
  }
}

/**
 * What the rules across fields read of a pipeline spec. A valid spec is one;
 * {@link readRuleView} reads one leniently from input whose shape is wrong.
 */
interface RuleView {
  owner?: string;
  stages: ReadonlyArray<{
    name?: string;
    owner?: string;
    dependsOn?: ReadonlyArray<unknown>;
  }>;
  slos?: ReadonlyArray<{ name?: string; stage?: unknown }>;
  governance?: { haltOn?: ReadonlyArray<{ slo?: unknown }> };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Reads what the rules need from input the schema refused, keeping array
 * indices so fields are named right, and dropping values the schema already
 * reported (so that no problem is reported twice).
 */
function readRuleView(input: unknown): RuleView {
  const spec = asRecord(asRecord(input).spec);
  const name = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const ref = (v: unknown) =>
    entityRefSchema.safeParse(v).success ? (v as string) : undefined;
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  return {
    owner: ref(spec.owner),
    stages: list(spec.stages).map(value => {
      const stage = asRecord(value);
      return {
        name: name(stage.name),
        owner: ref(stage.owner),
        dependsOn: list(stage.dependsOn),
      };
    }),
    slos: list(spec.slos).map(value => {
      const slo = asRecord(value);
      return { name: name(slo.name), stage: slo.stage };
    }),
    governance: {
      haltOn: list(asRecord(spec.governance).haltOn).map(value => ({
        slo: asRecord(value).slo,
      })),
    },
  };
}

/**
 * The rules the shape cannot say: unique stage and SLO names, known
 * `dependsOn` targets, no cycles, owners that are Groups or Users, SLOs on
 * existing stages, halt rules on existing SLOs.
 */
function checkRules(spec: RuleView, issues: AIPipelineValidationIssue[]) {
  if (spec.owner) {
    checkOwnerRef(spec.owner, 'spec.owner', issues);
  }

  const stageIndex = new Map<string, number>();
  spec.stages.forEach((stage, i) => {
    if (stage.name !== undefined) {
      const previous = stageIndex.get(stage.name);
      if (previous !== undefined) {
        issues.push({
          field: `spec.stages[${i}].name`,
          message: `duplicate stage name "${stage.name}" (already used by spec.stages[${previous}])`,
        });
      } else {
        stageIndex.set(stage.name, i);
      }
    }
    if (stage.owner) {
      checkOwnerRef(stage.owner, `spec.stages[${i}].owner`, issues);
    }
  });

  const edges: StageEdge[] = [];
  spec.stages.forEach((stage, i) => {
    const name = stage.name;
    if (name === undefined) return;
    (stage.dependsOn ?? []).forEach((dep, j) => {
      if (typeof dep !== 'string' || !dep) return;
      if (!stageIndex.has(dep)) {
        issues.push({
          field: `spec.stages[${i}].dependsOn[${j}]`,
          message: `stage "${name}" depends on unknown stage "${dep}"`,
        });
      } else if (dep === name) {
        issues.push({
          field: `spec.stages[${i}].dependsOn[${j}]`,
          message: `stage "${name}" depends on itself`,
        });
      } else {
        edges.push({ from: dep, to: name });
      }
    });
  });
  const cycle = createStageGraph(stageIndex.keys(), edges).findCycle();
  if (cycle) {
    issues.push({
      field: `spec.stages[${stageIndex.get(cycle[0])}].dependsOn`,
      message: `dependsOn forms a cycle: ${cycle.join(' → ')}`,
    });
  }

  const sloNames = new Set<string>();
  (spec.slos ?? []).forEach((slo, i) => {
    if (slo.name !== undefined) {
      if (sloNames.has(slo.name)) {
        issues.push({
          field: `spec.slos[${i}].name`,
          message: `duplicate SLO name "${slo.name}"`,
        });
      }
      sloNames.add(slo.name);
    }
    if (
      typeof slo.stage === 'string' &&
      slo.stage &&
      !stageIndex.has(slo.stage)
    ) {
      issues.push({
        field: `spec.slos[${i}].stage`,
        message: `SLO "${slo.name}" is set on unknown stage "${slo.stage}"`,
      });
    }
  });

  (spec.governance?.haltOn ?? []).forEach((rule, i) => {
    if (typeof rule.slo === 'string' && rule.slo && !sloNames.has(rule.slo)) {
      issues.push({
        field: `spec.governance.haltOn[${i}].slo`,
        message: `halts on unknown SLO "${rule.slo}" (not in spec.slos)`,
      });
    }
  });
}

/**
 * Validates an AIPipeline entity: its shape (zod), then the rules the shape
 * cannot say (see `checkRules`). The rules run even when the shape is
 * wrong, on whatever can be read, so one pass reports every problem.
 *
 * @public
 */
export function validateAIPipelineEntity(
  input: unknown,
): AIPipelineValidationResult {
  const parsed = aiPipelineEntitySchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
      field: formatPath(issue.path) || '(entity)',
      message: issue.message,
    }));
    checkRules(readRuleView(input), issues);
    return { valid: false, issues };
  }
  const entity = parsed.data as unknown as AIPipelineEntityV1alpha1;
  const issues: AIPipelineValidationIssue[] = [];
  checkRules(entity.spec, issues);
  return issues.length ? { valid: false, issues } : { valid: true, entity };
}

/**
 * Formats validation issues as one line per field, for error messages.
 *
 * @public
 */
export function formatValidationIssues(
  issues: AIPipelineValidationIssue[],
): string {
  return issues.map(i => `${i.field}: ${i.message}`).join('; ');
}
