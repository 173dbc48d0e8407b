import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  AIPipelineEntityV1alpha1,
  FINDING_SEVERITY,
  FRESHNESS_STAGE_TYPES,
  OwnershipConsumer,
  OwnershipEdge,
  OwnershipFinding,
  OwnershipFindingCode,
  OwnershipStage,
  PipelineOwnership,
  pipelineStageGraph,
  shortRef,
} from '@aiplatform/plugin-ai-platform-common';
import { tryNormalizeRef } from './catalogIndex';
import { OwnershipCatalog, SignalLookup } from './types';

/**
 * How long a freshness signal counts as recent.
 *
 * @public
 */
export const FRESHNESS_SIGNAL_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const OWNER_KINDS = new Set(['group', 'user']);
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

/** @public */
export interface AnalyzeOptions {
  signals?: SignalLookup;
  /** Epoch millis used as "now"; defaults to Date.now(). */
  now?: number;
  /** Set false to skip the blast radius (consumers), e.g. for reports. */
  includeConsumers?: boolean;
}

function finding(
  code: OwnershipFindingCode,
  message: string,
  stage?: string,
): OwnershipFinding {
  return stage === undefined
    ? { code, severity: FINDING_SEVERITY[code], message }
    : { code, severity: FINDING_SEVERITY[code], stage, message };
}

/**
 * Builds the end-to-end ownership graph of one pipeline and its findings
 * (see the findings table in ARCHITECTURE.md). Pure: everything it knows of
 * the catalog and of received signals comes through its arguments.
 *
 * @public
 */
export function analyzePipeline(
  pipeline: AIPipelineEntityV1alpha1,
  catalog: OwnershipCatalog,
  options: AnalyzeOptions = {},
): PipelineOwnership {
  const namespace = pipeline.metadata.namespace ?? 'default';
  const pipelineRef = stringifyEntityRef(pipeline).toLowerCase();
  const now = options.now ?? Date.now();
  const ownerDefaults = { defaultKind: 'group', defaultNamespace: namespace };
  const findings: OwnershipFinding[] = [];

  const pipelineOwner =
    tryNormalizeRef(pipeline.spec.owner, ownerDefaults) ?? pipeline.spec.owner;

  // Owners whose existence we must check, with where they were written.
  const ownersToCheck = new Map<
    string,
    { where: string; stage?: string; overridden?: boolean }
  >();
  ownersToCheck.set(pipelineOwner, { where: 'the pipeline owner' });

  const stages: OwnershipStage[] = pipeline.spec.stages.map(stage => {
    const inlineOwner = stage.owner
      ? tryNormalizeRef(stage.owner, ownerDefaults)
      : undefined;
    const entityRef = stage.entityRef
      ? tryNormalizeRef(stage.entityRef, {
          defaultKind: 'component',
          defaultNamespace: namespace,
        })
      : undefined;
    const entity = entityRef ? catalog.entity(entityRef) : undefined;

    if (entityRef && !entity) {
      findings.push(
        finding(
          'missing-entity',
          `Stage "${stage.name}" points at ${entityRef}, which is not in the catalog.`,
          stage.name,
        ),
      );
    }
    if (inlineOwner && entity?.owner && entity.owner !== inlineOwner) {
      findings.push(
        finding(
          'owner-mismatch',
          `Stage "${stage.name}" names ${shortRef(
            inlineOwner,
          )} as owner, but its entity ${shortRef(
            entity.ref,
          )} is owned by ${shortRef(entity.owner)}; the entity's owner wins.`,
          stage.name,
        ),
      );
    }

    let owner: string | null = null;
    let ownerSource: OwnershipStage['ownerSource'] = null;
    if (entity?.owner) {
      owner = entity.owner;
      ownerSource = 'entity';
    } else if (inlineOwner) {
      owner = inlineOwner;
      ownerSource = 'inline';
    }
    if (owner && !ownersToCheck.has(owner)) {
      ownersToCheck.set(owner, {
        where: `the owner of stage "${stage.name}"`,
        stage: stage.name,
      });
    }
    // An inline owner overridden by the entity's owner must still exist.
    if (
      inlineOwner &&
      inlineOwner !== owner &&
      !ownersToCheck.has(inlineOwner)
    ) {
      ownersToCheck.set(inlineOwner, {
        where: `the inline owner of stage "${stage.name}"`,
        stage: stage.name,
        overridden: true,
      });
    }
    if (!owner) {
      findings.push(
        finding(
          'unowned-stage',
          entityRef
            ? `Nobody owns stage "${
                stage.name
              }": it has no inline owner and ${shortRef(entityRef)} ${
                entity ? 'has no owner' : 'is not in the catalog'
              }. When it breaks, nobody is paged.`
            : `Nobody owns stage "${stage.name}": it has neither an owner nor an entityRef. When it breaks, nobody is paged.`,
          stage.name,
        ),
      );
    }
    return {
      name: stage.name,
      type: stage.type,
      owner,
      ownerSource,
      entityRef: entityRef ?? null,
    };
  });

  // unknown-owner and ownerless-team, once per owner.
  for (const [owner, { where, stage, overridden }] of ownersToCheck) {
    const entity = catalog.entity(owner);
    const kind = owner.split(':')[0];
    if (!entity || !OWNER_KINDS.has(entity.kind) || !OWNER_KINDS.has(kind)) {
      findings.push(
        finding(
          'unknown-owner',
          `${where[0].toLocaleUpperCase('en-US')}${where.slice(
            1,
          )}, ${owner}, is not a Group or User in the catalog.`,
          stage,
        ),
      );
    } else if (
      !overridden &&
      entity.kind === 'group' &&
      (entity.memberCount ?? 0) === 0
    ) {
      findings.push(
        finding(
          'ownerless-team',
          `${shortRef(owner)} owns ${
            stage ? `stage "${stage}"` : 'this pipeline'
          } but has no members: there is nobody to page.`,
          stage,
        ),
      );
    }
  }

  const slos = pipeline.spec.slos ?? [];
  if (!slos.some(slo => !slo.stage)) {
    findings.push(
      finding(
        'no-e2e-slo',
        slos.length
          ? 'Every SLO is set on a single stage: nothing says whether the pipeline works end to end.'
          : 'The pipeline has no SLOs: nothing says whether it works end to end.',
      ),
    );
  }

  for (const stage of pipeline.spec.stages) {
    if (!FRESHNESS_STAGE_TYPES.includes(stage.type)) continue;
    const last = options.signals?.lastFreshness(pipelineRef, stage.name);
    if (last === undefined || now - last > FRESHNESS_SIGNAL_MAX_AGE_MS) {
      findings.push(
        finding(
          'unmonitored-stage',
          last === undefined
            ? `Stage "${stage.name}" (${stage.type}) has never reported freshness: a lag here goes unseen.`
            : `Stage "${stage.name}" (${
                stage.type
              }) has reported no freshness for ${Math.floor(
                (now - last) / 3_600_000,
              )} h: a lag here goes unseen.`,
          stage.name,
        ),
      );
    }
  }

  const ownerOf = new Map(stages.map(s => [s.name, s.owner]));
  const edges: OwnershipEdge[] = [
    ...pipelineStageGraph(pipeline.spec.stages).edges,
  ];
  for (const { from, to } of edges) {
    const fromOwner = ownerOf.get(from);
    const toOwner = ownerOf.get(to);
    if (fromOwner && toOwner && fromOwner !== toOwner) {
      findings.push(
        finding(
          'cross-team-handoff',
          `Handoff: "${from}" (${shortRef(
            fromOwner,
          )}) feeds "${to}" (${shortRef(
            toOwner,
          )}). Agree on a data contract and who is paged when it breaks.`,
          to,
        ),
      );
    }
  }

  const consumers: OwnershipConsumer[] = [];
  if (options.includeConsumers !== false) {
    const internal = new Set<string>([pipelineRef]);
    for (const s of stages) if (s.entityRef) internal.add(s.entityRef);
    const seen = new Set<string>();
    for (const target of internal) {
      for (const dependent of catalog.dependentsOf(target)) {
        if (internal.has(dependent) || seen.has(dependent)) continue;
        seen.add(dependent);
        consumers.push({
          entityRef: dependent,
          owner: catalog.entity(dependent)?.owner ?? null,
        });
      }
    }
    consumers.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  findings.sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  return {
    pipeline: pipelineRef,
    owner: pipelineOwner,
    stages,
    edges,
    findings,
    consumers,
  };
}
