import {
  FRESHNESS_STAGE_TYPES,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';
import {
  FRESHNESS_SIGNAL_MAX_AGE_MS,
  SignalLookup,
  analyzePipeline,
} from '@aiplatform/plugin-ai-platform-node';
import {
  PipelineCatalogSnapshot,
  ViewPipeline,
} from '../shared/catalog/PipelineCatalog';

const HOUR = 3_600_000;

/**
 * What the analysis makes of a pipeline's freshness signals: per freshness
 * stage, never reported, fresh, or stale for so many whole hours (the
 * finding's message names the hours).
 */
function freshnessKey(
  pipeline: ViewPipeline,
  signals: SignalLookup | undefined,
  now: number,
): string {
  let key = '';
  for (const stage of pipeline.entity.spec.stages) {
    if (!FRESHNESS_STAGE_TYPES.includes(stage.type)) continue;
    const last = signals?.lastFreshness(pipeline.ref, stage.name);
    if (last === undefined) key += 'u,';
    else if (now - last > FRESHNESS_SIGNAL_MAX_AGE_MS) {
      key += `${Math.floor((now - last) / HOUR)},`;
    } else key += 'f,';
  }
  return key;
}

/**
 * The ownership analysis (without consumers, as lists and reports use it)
 * of each pipeline, kept until its inputs change: the pipeline entity (its
 * etag), the owners and stage entities (the snapshot's index version), or
 * what its freshness signals say.
 */
export class AnalysisCache {
  private readonly entries = new Map<
    string,
    { key: string; graph: PipelineOwnership }
  >();

  analyze(
    pipeline: ViewPipeline,
    snapshot: PipelineCatalogSnapshot,
    signals: SignalLookup | undefined,
    now = Date.now(),
  ): PipelineOwnership {
    const key = `${pipeline.etag}\u0000${
      snapshot.indexVersion
    }\u0000${freshnessKey(pipeline, signals, now)}`;
    const cached = this.entries.get(pipeline.ref);
    if (cached?.key === key) return cached.graph;
    const graph = analyzePipeline(pipeline.entity, snapshot.index, {
      signals,
      now,
      includeConsumers: false,
    });
    this.entries.set(pipeline.ref, { key, graph });
    return graph;
  }

  private pruned?: PipelineCatalogSnapshot;

  /** Drops the entries of pipelines no longer in the catalog (once a snapshot). */
  prune(snapshot: PipelineCatalogSnapshot) {
    if (this.pruned === snapshot) return;
    this.pruned = snapshot;
    for (const ref of this.entries.keys()) {
      if (!snapshot.pipeline(ref)) this.entries.delete(ref);
    }
  }
}
