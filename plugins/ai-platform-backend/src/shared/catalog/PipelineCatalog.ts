import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { getEntitiesByRefs } from './catalogPipelines';
import {
  AIPipelineEntityV1alpha1,
  AI_PIPELINE_KIND,
  formatValidationIssues,
  validateAIPipelineEntity,
} from '@aiplatform/plugin-ai-platform-common';
import {
  OwnershipCatalog,
  buildCatalogIndex,
  tryNormalizeRef,
} from '@aiplatform/plugin-ai-platform-node';

const ETAG_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.etag',
];
/** What the analysis reads of a Group or User. */
export const OWNER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.etag',
  'spec.children',
  'spec.members',
  'relations',
];
/** What the analysis reads of an entity a stage points at. */
export const STAGE_ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.etag',
  'spec.owner',
  'relations',
];

const DEFAULT_REFRESH: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 0 },
};

/** One valid AIPipeline of the view. */
export interface ViewPipeline {
  /** Full, lowercase ref. */
  ref: string;
  /** The catalog's `metadata.etag`: changes whenever the entity does. */
  etag: string;
  entity: AIPipelineEntityV1alpha1;
}

/** What the catalog held at one read: immutable, replaced by the next. */
export interface PipelineCatalogSnapshot {
  /** Valid AIPipelines, by ref. */
  readonly pipelines: readonly ViewPipeline[];
  pipeline(ref: string): ViewPipeline | undefined;
  /** Groups, Users and the entities stages point at. */
  readonly index: OwnershipCatalog;
  /**
   * Changes whenever a Group, a User or a stage entity did (what the
   * analysis reads besides the pipeline itself).
   */
  readonly indexVersion: number;
}

/**
 * The catalog's `metadata.etag`, which changes whenever the entity does; an
 * entity without one (a catalog that does not stitch, as in tests) is
 * compared by its content.
 */
function etagOf(entity: Entity): string {
  return entity.metadata.etag ?? `json:${JSON.stringify(entity)}`;
}

function refOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLowerCase();
}

/** The normalized refs of the entities a pipeline's stages point at. */
export function stageEntityRefs(pipeline: AIPipelineEntityV1alpha1): string[] {
  const namespace = pipeline.metadata.namespace ?? 'default';
  return pipeline.spec.stages.flatMap(
    s =>
      (s.entityRef &&
        tryNormalizeRef(s.entityRef, {
          defaultKind: 'component',
          defaultNamespace: namespace,
        })) ||
      [],
  );
}

/** True when both maps hold the same keys with the same etags. */
function sameEtags(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [ref, etag] of a) if (b.get(ref) !== etag) return false;
  return true;
}

/**
 * The one catalog view of AI pipelines in the backend: every valid
 * AIPipeline, the Groups and Users, and the entities stages point at, read
 * with the plugin's own credentials, validated once, and kept current by an
 * incremental re-read on each instance (`aiPlatform.catalog.refresh`,
 * every 30 s by default): the pipelines' etags are compared and only the
 * pipelines that changed are fetched and validated again; the owner and
 * stage-entity index is rebuilt only when one of them changed. Requests read
 * the current snapshot and never the whole catalog; what a caller may see is
 * checked per request by {@link CatalogVisibility}.
 */
export class PipelineCatalog {
  private current?: PipelineCatalogSnapshot;
  private reading?: Promise<PipelineCatalogSnapshot>;
  private byRef = new Map<string, ViewPipeline>();
  private ownerEtags = new Map<string, string>();
  private stageEtags = new Map<string, string>();
  private indexVersion = 0;
  private index: OwnershipCatalog = buildCatalogIndex([]);
  /** Invalid pipelines already logged, by ref and etag. */
  private loggedInvalid = new Map<string, string>();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /** The current snapshot; the first call waits for the first read. */
  async snapshot(): Promise<PipelineCatalogSnapshot> {
    return this.current ?? this.refresh();
  }

  /**
   * Reads what changed since the last read. Concurrent calls share one
   * read; a failed read keeps the previous snapshot (and is thrown).
   */
  refresh(): Promise<PipelineCatalogSnapshot> {
    if (!this.reading) {
      this.reading = this.read().finally(() => {
        this.reading = undefined;
      });
    }
    return this.reading;
  }

  /** Re-reads on every instance (a local task: each holds its own view). */
  async schedule(scheduler: SchedulerService, config: RootConfigService) {
    const configured = config.has('aiPlatform.catalog.refresh')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('aiPlatform.catalog.refresh'),
        )
      : DEFAULT_REFRESH;
    await scheduler.scheduleTask({
      ...configured,
      id: 'ai-platform-catalog-view',
      scope: 'local',
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          this.options.logger.warn(
            `Could not refresh the AI pipeline catalog view: ${error}`,
          );
        }
      },
    });
  }

  private async read(): Promise<PipelineCatalogSnapshot> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();

    // Pipelines and owners in parallel; then the stage entities they name.
    const [byRef, owners] = await Promise.all([
      this.current
        ? this.readChangedPipelines(credentials)
        : this.readAllPipelines(credentials),
      this.readOwners(credentials),
    ]);
    const stageRefs = new Set<string>();
    for (const p of byRef.values()) {
      for (const ref of stageEntityRefs(p.entity)) stageRefs.add(ref);
    }
    const stageEntities = await getEntitiesByRefs(
      catalog,
      [...stageRefs],
      STAGE_ENTITY_FIELDS,
      credentials,
    );
    const ownerEtags = new Map(owners.map(e => [refOf(e), etagOf(e)]));
    const stageEtags = new Map(stageEntities.map(e => [refOf(e), etagOf(e)]));
    if (
      !sameEtags(ownerEtags, this.ownerEtags) ||
      !sameEtags(stageEtags, this.stageEtags) ||
      !this.current
    ) {
      this.index = buildCatalogIndex([...owners, ...stageEntities]);
      this.ownerEtags = ownerEtags;
      this.stageEtags = stageEtags;
      this.indexVersion++;
    }

    this.byRef = byRef;
    const pipelines = [...byRef.values()].sort((a, b) =>
      a.ref < b.ref ? -1 : 1,
    );
    const snapshot: PipelineCatalogSnapshot = {
      pipelines,
      pipeline: ref => byRef.get(ref),
      index: this.index,
      indexVersion: this.indexVersion,
    };
    this.current = snapshot;
    return snapshot;
  }

  /** The first read: every pipeline, whole, in one pass. */
  private async readAllPipelines(
    credentials: BackstageCredentials,
  ): Promise<Map<string, ViewPipeline>> {
    const byRef = new Map<string, ViewPipeline>();
    for await (const page of this.options.catalog.streamEntities(
      { filter: { kind: AI_PIPELINE_KIND } },
      { credentials },
    )) {
      for (const entity of page) this.hold(byRef, entity);
    }
    return byRef;
  }

  /** Later reads: the etags of all pipelines, whole entities of the changed ones. */
  private async readChangedPipelines(
    credentials: BackstageCredentials,
  ): Promise<Map<string, ViewPipeline>> {
    const etags = new Map<string, string>();
    for await (const page of this.options.catalog.streamEntities(
      { filter: { kind: AI_PIPELINE_KIND }, fields: ETAG_FIELDS },
      { credentials },
    )) {
      for (const e of page) etags.set(refOf(e), etagOf(e));
    }
    // Without an etag (the partial read cannot tell) a pipeline is re-read.
    const unchanged = (ref: string, etag: string) =>
      !etag.startsWith('json:') && this.byRef.get(ref)?.etag === etag;
    const byRef = new Map<string, ViewPipeline>();
    const changed: string[] = [];
    for (const [ref, etag] of etags) {
      if (unchanged(ref, etag)) byRef.set(ref, this.byRef.get(ref)!);
      else changed.push(ref);
    }
    const fetched = await getEntitiesByRefs(
      this.options.catalog,
      changed,
      undefined,
      credentials,
    );
    for (const entity of fetched) this.hold(byRef, entity);
    return byRef;
  }

  private async readOwners(credentials: BackstageCredentials) {
    const owners: Entity[] = [];
    for await (const page of this.options.catalog.streamEntities(
      { filter: { kind: ['Group', 'User'] }, fields: OWNER_FIELDS },
      { credentials },
    )) {
      owners.push(...page);
    }
    return owners;
  }

  /** Adds the entity to `byRef` when it is a valid AIPipeline. */
  private hold(byRef: Map<string, ViewPipeline>, entity: Entity) {
    const pipeline = this.validate(entity);
    if (pipeline) {
      const ref = refOf(entity);
      byRef.set(ref, { ref, etag: etagOf(entity), entity: pipeline });
    }
  }

  /** A valid AIPipeline, or undefined (logged once per etag). */
  private validate(entity: Entity): AIPipelineEntityV1alpha1 | undefined {
    if (entity.kind !== AI_PIPELINE_KIND) return undefined;
    const result = validateAIPipelineEntity(entity);
    if (result.valid) return { ...result.entity, relations: entity.relations };
    const ref = refOf(entity);
    if (this.loggedInvalid.get(ref) !== etagOf(entity)) {
      this.loggedInvalid.set(ref, etagOf(entity));
      this.options.logger.warn(
        `Ignoring invalid AIPipeline ${ref}: ${formatValidationIssues(
          result.issues,
        )}`,
      );
    }
    return undefined;
  }
}
