import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AI_PIPELINE_KIND,
  AIPipelineEntityV1alpha1,
  countFindings,
  formatValidationIssues,
  ListOptions,
  OwnedStage,
  OwnedStageList,
  OwnedStageSortKey,
  OwnershipReport,
  OwnershipReportItem,
  OwnershipReportSortKey,
  PipelineHealth,
  PipelineList,
  PipelineSortKey,
  PipelineSummary,
  PipelineOwnership,
  validateAIPipelineEntity,
} from '@aiplatform/plugin-ai-platform-common';
import {
  analyzePipeline,
  buildCatalogIndex,
  buildOwnershipReport,
  groupSubtree,
  OwnershipCatalog,
  SignalLookup,
  tryNormalizeRef,
} from '@aiplatform/plugin-ai-platform-node';
import { ListSpec, paginate } from '../shared/http/pagination';
import { OwnershipService } from './OwnershipService';

const REF_BATCH_SIZE = 500;
const OWNER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.children',
  'spec.members',
  'relations',
];
const STAGE_ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.owner',
  'relations',
];

/** `sort=health` goes from no data to the worst: `-health` puts halted first. */
const HEALTH_RANK: Record<PipelineHealth, number> = {
  unknown: 0,
  healthy: 1,
  degraded: 2,
  failing: 3,
  halted: 4,
};

const PIPELINE_LIST: ListSpec<PipelineSummary, PipelineSortKey> = {
  text: p => [p.pipeline, p.title, p.owner, p.system],
  keys: {
    name: p => p.pipeline,
    owner: p => p.owner,
    health: p => HEALTH_RANK[p.health],
    errors: p => p.findings.error,
    stages: p => p.stageCount,
  },
  defaultSort: 'name',
  tieBreaker: p => p.pipeline,
};

const REPORT_LIST: ListSpec<OwnershipReportItem, OwnershipReportSortKey> = {
  text: i => [
    i.pipeline,
    i.owner,
    ...i.findings.flatMap(f => [f.code, f.message]),
  ],
  keys: {
    pipeline: i => i.pipeline,
    owner: i => i.owner,
    errors: i => i.findings.filter(f => f.severity === 'error').length,
  },
  defaultSort: 'pipeline',
  tieBreaker: i => i.pipeline,
};

const STAGE_LIST: ListSpec<OwnedStage, OwnedStageSortKey> = {
  text: s => [s.pipeline, s.pipelineTitle, s.stage, s.entityRef],
  keys: {
    pipeline: s => s.pipeline,
    stage: s => s.stage,
  },
  defaultSort: 'pipeline',
  // The sort is stable: a pipeline's stages keep the order of its spec.
  tieBreaker: s => s.pipeline,
};

interface CatalogSnapshot {
  pipelines: AIPipelineEntityV1alpha1[];
  catalog: OwnershipCatalog;
}

/** Reads the catalog through the catalog service, with the caller's credentials. */
export class CatalogOwnershipService implements OwnershipService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      logger: LoggerService;
      /** Latest freshness point per `pipeline` + `\0` + `stage` (epoch ms). */
      freshness?: () => Promise<Map<string, number>>;
      /** Health of a pipeline; `unknown` without it. */
      health?: (pipeline: AIPipelineEntityV1alpha1) => Promise<PipelineHealth>;
    },
  ) {}

  async listPipelines(
    credentials: BackstageCredentials,
    query?: ListOptions<PipelineSortKey>,
  ): Promise<PipelineList> {
    const [{ pipelines, catalog }, signals] = await Promise.all([
      this.snapshot(credentials),
      this.signalLookup(),
    ]);
    const health = await Promise.all(
      pipelines.map(p => this.options.health?.(p) ?? 'unknown'),
    );
    const items = pipelines.map((pipeline, i): PipelineSummary => {
      const graph = this.analyze(pipeline, catalog, false, signals);
      return {
        pipeline: graph.pipeline,
        title: pipeline.metadata.title,
        type: pipeline.spec.type,
        lifecycle: pipeline.spec.lifecycle,
        owner: graph.owner,
        system: pipeline.spec.system,
        stageCount: graph.stages.length,
        findings: countFindings(graph.findings),
        health: health[i],
      };
    });
    return paginate(items, PIPELINE_LIST, query);
  }

  async getPipelineOwnership(
    pipelineRef: string,
    credentials: BackstageCredentials,
  ): Promise<PipelineOwnership> {
    const { catalog: catalogService } = this.options;
    const entity = await catalogService.getEntityByRef(pipelineRef, {
      credentials,
    });
    const pipeline = entity && this.toPipeline(entity);
    if (!pipeline) {
      throw new NotFoundError(`No AIPipeline ${pipelineRef} in the catalog`);
    }
    const namespace = pipeline.metadata.namespace ?? 'default';
    const stageRefs = pipeline.spec.stages.flatMap(
      s =>
        (s.entityRef &&
          tryNormalizeRef(s.entityRef, {
            defaultKind: 'component',
            defaultNamespace: namespace,
          })) ||
        [],
    );
    const stageEntities = await this.fetchByRefs(
      stageRefs,
      STAGE_ENTITY_FIELDS,
      credentials,
    );
    const firstPass = buildCatalogIndex([pipeline, ...stageEntities]);
    const ownerRefs = new Set<string>();
    const consumerRefs = new Set<string>();
    const pipelineOwner = tryNormalizeRef(pipeline.spec.owner, {
      defaultKind: 'group',
      defaultNamespace: namespace,
    });
    if (pipelineOwner) ownerRefs.add(pipelineOwner);
    for (const stage of pipeline.spec.stages) {
      const owner =
        stage.owner &&
        tryNormalizeRef(stage.owner, {
          defaultKind: 'group',
          defaultNamespace: namespace,
        });
      if (owner) ownerRefs.add(owner);
    }
    for (const e of stageEntities) {
      const summary = firstPass.entity(stringifyEntityRef(e).toLowerCase());
      if (summary?.owner) ownerRefs.add(summary.owner);
    }
    for (const ref of [stringifyEntityRef(pipeline), ...stageRefs]) {
      for (const d of firstPass.dependentsOf(ref.toLowerCase())) {
        consumerRefs.add(d);
      }
    }
    const [owners, consumers] = await Promise.all([
      this.fetchByRefs([...ownerRefs], OWNER_FIELDS, credentials),
      this.fetchByRefs([...consumerRefs], STAGE_ENTITY_FIELDS, credentials),
    ]);
    const catalog = buildCatalogIndex([
      pipeline,
      ...stageEntities,
      ...owners,
      ...consumers,
    ]);
    return this.analyze(pipeline, catalog, true, await this.signalLookup());
  }

  async getOwnershipReport(
    owner: string | undefined,
    credentials: BackstageCredentials,
    query?: ListOptions<OwnershipReportSortKey>,
  ): Promise<OwnershipReport> {
    const [{ pipelines, catalog }, signals] = await Promise.all([
      this.snapshot(credentials),
      this.signalLookup(),
    ]);
    let owners: Set<string> | undefined;
    if (owner) {
      if (!catalog.entity(owner)) {
        throw new NotFoundError(`No Group or User ${owner} in the catalog`);
      }
      owners = groupSubtree(catalog, owner);
    }
    const { items } = buildOwnershipReport(
      pipelines.map(p => this.analyze(p, catalog, false, signals)),
      owners,
    );
    return paginate(items, REPORT_LIST, query);
  }

  async getOwnedStages(
    owner: string,
    credentials: BackstageCredentials,
    query?: ListOptions<OwnedStageSortKey>,
  ): Promise<OwnedStageList> {
    const { pipelines, catalog } = await this.snapshot(credentials);
    if (!catalog.entity(owner)) {
      throw new NotFoundError(`No Group or User ${owner} in the catalog`);
    }
    const items: OwnedStage[] = [];
    for (const pipeline of pipelines) {
      // Stage owners do not depend on signals.
      const graph = this.analyze(pipeline, catalog, false, undefined);
      for (const stage of graph.stages) {
        if (stage.owner === owner && stage.ownerSource) {
          items.push({
            pipeline: graph.pipeline,
            pipelineTitle: pipeline.metadata.title,
            stage: stage.name,
            type: stage.type,
            ownerSource: stage.ownerSource,
            entityRef: stage.entityRef,
          });
        }
      }
    }
    return paginate(items, STAGE_LIST, query);
  }

  private analyze(
    pipeline: AIPipelineEntityV1alpha1,
    catalog: OwnershipCatalog,
    includeConsumers: boolean,
    signals: SignalLookup | undefined,
  ): PipelineOwnership {
    return analyzePipeline(pipeline, catalog, { signals, includeConsumers });
  }

  /** Received freshness, read once per request. */
  private async signalLookup(): Promise<SignalLookup | undefined> {
    if (!this.options.freshness) return undefined;
    const latest = await this.options.freshness();
    return {
      lastFreshness: (pipeline, stage) =>
        latest.get(`${pipeline}\u0000${stage}`),
    };
  }

  /** Keeps valid AIPipelines; logs (once per read) the ones the catalog let through. */
  private toPipeline(entity: Entity): AIPipelineEntityV1alpha1 | undefined {
    if (entity.kind !== AI_PIPELINE_KIND) return undefined;
    const result = validateAIPipelineEntity(entity);
    if (!result.valid) {
      this.options.logger.warn(
        `Ignoring invalid AIPipeline ${stringifyEntityRef(
          entity,
        )}: ${formatValidationIssues(result.issues)}`,
      );
      return undefined;
    }
    return { ...result.entity, relations: entity.relations };
  }

  /** All pipelines, all owners, and the entities the stages point at. */
  private async snapshot(
    credentials: BackstageCredentials,
  ): Promise<CatalogSnapshot> {
    const { catalog: catalogService } = this.options;
    const pipelines: AIPipelineEntityV1alpha1[] = [];
    const owners: Entity[] = [];
    await Promise.all([
      (async () => {
        for await (const page of catalogService.streamEntities(
          { filter: { kind: AI_PIPELINE_KIND } },
          { credentials },
        )) {
          for (const entity of page) {
            const pipeline = this.toPipeline(entity);
            if (pipeline) pipelines.push(pipeline);
          }
        }
      })(),
      (async () => {
        for await (const page of catalogService.streamEntities(
          { filter: { kind: ['Group', 'User'] }, fields: OWNER_FIELDS },
          { credentials },
        )) {
          owners.push(...page);
        }
      })(),
    ]);
    const stageRefs = new Set<string>();
    for (const p of pipelines) {
      const namespace = p.metadata.namespace ?? 'default';
      for (const s of p.spec.stages) {
        const ref =
          s.entityRef &&
          tryNormalizeRef(s.entityRef, {
            defaultKind: 'component',
            defaultNamespace: namespace,
          });
        if (ref) stageRefs.add(ref);
      }
    }
    const stageEntities = await this.fetchByRefs(
      [...stageRefs],
      STAGE_ENTITY_FIELDS,
      credentials,
    );
    return {
      pipelines,
      catalog: buildCatalogIndex([...owners, ...stageEntities]),
    };
  }

  private async fetchByRefs(
    refs: string[],
    fields: string[],
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const result: Entity[] = [];
    for (let i = 0; i < refs.length; i += REF_BATCH_SIZE) {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: refs.slice(i, i + REF_BATCH_SIZE), fields },
        { credentials },
      );
      for (const item of items) if (item) result.push(item);
    }
    return result;
  }
}
