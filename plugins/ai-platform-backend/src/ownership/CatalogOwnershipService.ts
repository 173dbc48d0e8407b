import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AIPipelineEntityV1alpha1,
  countFindings,
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
} from '@aiplatform/plugin-ai-platform-common';
import {
  analyzePipeline,
  buildCatalogIndex,
  buildOwnershipReport,
  groupSubtree,
  SignalLookup,
  tryNormalizeRef,
} from '@aiplatform/plugin-ai-platform-node';
import { ListSpec, paginate } from '../shared/http/pagination';
import {
  OWNER_FIELDS,
  PipelineCatalog,
  PipelineCatalogSnapshot,
  STAGE_ENTITY_FIELDS,
  ViewPipeline,
  stageEntityRefs,
} from '../shared/catalog/PipelineCatalog';
import {
  CatalogVisibility,
  onlyVisible,
} from '../shared/catalog/CatalogVisibility';
import {
  asPipeline,
  getEntitiesByRefs,
} from '../shared/catalog/catalogPipelines';
import { AnalysisCache } from './AnalysisCache';
import { OwnershipService } from './OwnershipService';

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

/**
 * Lists and reports come from the one catalog view of AI pipelines (cached,
 * kept current), limited to what the caller may see, with each pipeline's
 * analysis cached until its inputs change; one pipeline's ownership graph
 * reads that pipeline and its neighbours with the caller's credentials.
 */
export class CatalogOwnershipService implements OwnershipService {
  private readonly analyses = new AnalysisCache();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      view: PipelineCatalog;
      visibility: CatalogVisibility;
      logger: LoggerService;
      /** Latest freshness point per `pipeline` + `\0` + `stage` (epoch ms). */
      freshness?: () => Promise<Map<string, number>>;
      /** Health of pipelines (lowercase ref to health); `unknown` without it. */
      health?: (
        pipelines: AIPipelineEntityV1alpha1[],
      ) => Promise<Map<string, PipelineHealth>>;
    },
  ) {}

  async listPipelines(
    credentials: BackstageCredentials,
    query?: ListOptions<PipelineSortKey>,
  ): Promise<PipelineList> {
    const [{ snapshot, pipelines }, signals] = await Promise.all([
      this.visiblePipelines(credentials),
      this.signalLookup(),
    ]);
    const items = pipelines.map((p): PipelineSummary => {
      const graph = this.analyses.analyze(p, snapshot, signals);
      return {
        pipeline: graph.pipeline,
        title: p.entity.metadata.title,
        type: p.entity.spec.type,
        lifecycle: p.entity.spec.lifecycle,
        owner: graph.owner,
        system: p.entity.spec.system,
        stageCount: graph.stages.length,
        findings: countFindings(graph.findings),
        health: 'unknown',
      };
    });
    // Health is read for the page only, unless the page is sorted by it.
    const sortsByHealth = query?.sort?.replace(/^-/, '') === 'health';
    if (!query || sortsByHealth) await this.addHealth(items, snapshot);
    const page = paginate(items, PIPELINE_LIST, query);
    if (query && !sortsByHealth) await this.addHealth(page.items, snapshot);
    return page;
  }

  /** Sets `health` of each summary, from one batched read. */
  private async addHealth(
    items: PipelineSummary[],
    snapshot: PipelineCatalogSnapshot,
  ) {
    if (!this.options.health || !items.length) return;
    const health = await this.options.health(
      items.flatMap(i => snapshot.pipeline(i.pipeline)?.entity ?? []),
    );
    for (const item of items)
      item.health = health.get(item.pipeline) ?? 'unknown';
  }

  async getPipelineOwnership(
    pipelineRef: string,
    credentials: BackstageCredentials,
  ): Promise<PipelineOwnership> {
    const { catalog: catalogService } = this.options;
    const entity = await catalogService.getEntityByRef(pipelineRef, {
      credentials,
    });
    const pipeline = asPipeline(entity);
    if (!pipeline) {
      throw new NotFoundError(`No AIPipeline ${pipelineRef} in the catalog`);
    }
    const namespace = pipeline.metadata.namespace ?? 'default';
    const stageRefs = stageEntityRefs(pipeline);
    const stageEntities = await getEntitiesByRefs(
      this.options.catalog,
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
      getEntitiesByRefs(
        this.options.catalog,
        [...ownerRefs],
        OWNER_FIELDS,
        credentials,
      ),
      getEntitiesByRefs(
        this.options.catalog,
        [...consumerRefs],
        STAGE_ENTITY_FIELDS,
        credentials,
      ),
    ]);
    const catalog = buildCatalogIndex([
      pipeline,
      ...stageEntities,
      ...owners,
      ...consumers,
    ]);
    return analyzePipeline(pipeline, catalog, {
      signals: await this.signalLookup(),
      includeConsumers: true,
    });
  }

  async getOwnershipReport(
    owner: string | undefined,
    credentials: BackstageCredentials,
    query?: ListOptions<OwnershipReportSortKey>,
  ): Promise<OwnershipReport> {
    const [{ snapshot, pipelines }, signals] = await Promise.all([
      this.visiblePipelines(credentials),
      this.signalLookup(),
    ]);
    let owners: Set<string> | undefined;
    if (owner) {
      if (!snapshot.index.entity(owner)) {
        throw new NotFoundError(`No Group or User ${owner} in the catalog`);
      }
      owners = groupSubtree(snapshot.index, owner);
    }
    const { items } = buildOwnershipReport(
      pipelines.map(p => this.analyses.analyze(p, snapshot, signals)),
      owners,
    );
    return paginate(items, REPORT_LIST, query);
  }

  async getOwnedStages(
    owner: string,
    credentials: BackstageCredentials,
    query?: ListOptions<OwnedStageSortKey>,
  ): Promise<OwnedStageList> {
    const [{ snapshot, pipelines }, signals] = await Promise.all([
      this.visiblePipelines(credentials),
      this.signalLookup(),
    ]);
    if (!snapshot.index.entity(owner)) {
      throw new NotFoundError(`No Group or User ${owner} in the catalog`);
    }
    const items: OwnedStage[] = [];
    for (const pipeline of pipelines) {
      // The same (cached) analysis as the lists: stage owners do not depend
      // on signals, but sharing the entry saves a second analysis.
      const graph = this.analyses.analyze(pipeline, snapshot, signals);
      for (const stage of graph.stages) {
        if (stage.owner === owner && stage.ownerSource) {
          items.push({
            pipeline: graph.pipeline,
            pipelineTitle: pipeline.entity.metadata.title,
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

  /** The view's pipelines that the caller may see. */
  private async visiblePipelines(credentials: BackstageCredentials): Promise<{
    snapshot: PipelineCatalogSnapshot;
    pipelines: readonly ViewPipeline[];
  }> {
    const [snapshot, visible] = await Promise.all([
      this.options.view.snapshot(),
      this.options.visibility.pipelines(credentials),
    ]);
    this.analyses.prune(snapshot);
    return { snapshot, pipelines: onlyVisible(snapshot.pipelines, visible) };
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
}
