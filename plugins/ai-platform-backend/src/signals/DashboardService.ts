import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  AIPipelineEntityV1alpha1,
  PipelineDashboard,
  PipelineHealth,
  HaltState,
  HealthSuspect,
  SloReport,
} from '@aiplatform/plugin-ai-platform-common';
import {
  computePipelineHealth,
  evaluateSlo,
  parseDuration,
} from '@aiplatform/plugin-ai-platform-node';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GovernanceStore } from '../governance/GovernanceStore';
import { SignalStore } from './SignalStore';
import { getPipelineOrThrow } from '../shared/catalog/catalogPipelines';
import { SpendReader } from '../spend/SpendService';

const HOUR = 3_600_000;
/** The longest burn-rate window (3 d) and the fine-sample window (6 h). */
const LONGEST_BURN_WINDOW = 3 * 24 * HOUR;
const FINE_WINDOW = 6 * HOUR;

/** Assembles a pipeline's dashboard: series, SLO reports, health. */
export class DashboardService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      signals: SignalStore;
      governance: GovernanceStore;
      /** Whose spend a caller may read: cost is shown only then. */
      spendReader: (credentials: BackstageCredentials) => Promise<SpendReader>;
    },
  ) {}

  async getDashboard(
    pipelineRef: string,
    range: { from: number; to: number },
    credentials: BackstageCredentials,
  ): Promise<PipelineDashboard> {
    const pipeline = await getPipelineOrThrow(
      this.options.catalog,
      pipelineRef,
      credentials,
    );
    const [series, assessment, readsSpend] = await Promise.all([
      this.options.signals.querySeries(pipelineRef, range),
      this.assess(pipeline, range.to),
      this.options.spendReader(credentials),
    ]);
    // Cost is spend: only for callers who may read the owner's spend.
    const showsCost = readsSpend(pipeline.spec.owner);
    return {
      pipeline: pipelineRef,
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      series: showsCost ? series : series.filter(s => s.signal !== 'cost'),
      ...assessment,
      slos: showsCost
        ? assessment.slos
        : assessment.slos.filter(s => s.signal !== 'cost'),
      hiddenSignals: showsCost ? [] : ['cost'],
    };
  }

  /** Each SLO's report at `now` (for the resume hold). */
  async getSloReports(
    pipeline: AIPipelineEntityV1alpha1,
    now = Date.now(),
  ): Promise<SloReport[]> {
    return (await this.assess(pipeline, now)).slos;
  }

  /** Each SLO's report and the suspect stage at `now` (for the SLO watcher). */
  async assessSlos(
    pipeline: AIPipelineEntityV1alpha1,
    now = Date.now(),
  ): Promise<{ slos: SloReport[]; suspect: HealthSuspect | null }> {
    const { slos, suspect } = await this.assess(pipeline, now);
    return { slos, suspect };
  }

  /**
   * Health of many pipelines now (for lists), keyed by lowercase ref: one
   * batched read of samples, trends and halts for all of them.
   */
  async getHealth(
    pipelines: AIPipelineEntityV1alpha1[],
    now = Date.now(),
  ): Promise<Map<string, PipelineHealth>> {
    const assessments = await this.assessMany(pipelines, now);
    return new Map(
      pipelines.map((p, i) => [lowercaseRef(p), assessments[i].health]),
    );
  }

  private async assess(pipeline: AIPipelineEntityV1alpha1, now: number) {
    const [assessment] = await this.assessMany([pipeline], now);
    return assessment;
  }

  /** SLO reports, health and halt of each pipeline, from batched reads. */
  private async assessMany(pipelines: AIPipelineEntityV1alpha1[], now: number) {
    const { signals, governance } = this.options;
    const refs = pipelines.map(lowercaseRef);
    const requests = pipelines.flatMap((pipeline, i) =>
      (pipeline.spec.slos ?? []).map(slo => ({
        pipeline: refs[i],
        stage: slo.stage ?? '',
        signal: slo.signal,
        hourlyFrom:
          now -
          Math.max(parseDuration(slo.window ?? '28d'), LONGEST_BURN_WINDOW),
      })),
    );
    const [samples, trends, halts] = await Promise.all([
      signals.querySamples(requests, { fineFrom: now - FINE_WINDOW, to: now }),
      signals.queryTrends(refs, now),
      // One pipeline (a dashboard) shows its halt in full; lists need only
      // which pipelines are halted.
      pipelines.length === 1
        ? governance.getHalt(refs[0]).then(h => ({ one: h }))
        : governance.listHalted().then(set => ({ set })),
    ]);
    let next = 0;
    return pipelines.map((pipeline, i) => {
      const slos: SloReport[] = (pipeline.spec.slos ?? []).map(slo =>
        evaluateSlo(slo, samples[next++], now),
      );
      const halt: HaltState =
        'one' in halts
          ? halts.one
          : {
              halted: halts.set.has(refs[i]),
              reason: null,
              by: null,
              at: null,
            };
      const health = computePipelineHealth(pipeline, slos, {
        halted: halt.halted,
        trends: trends.get(refs[i]) ?? [],
      });
      return {
        slos,
        health: health.health,
        explanation: health.explanation,
        suspect: health.suspect,
        halt,
      };
    });
  }
}

function lowercaseRef(pipeline: AIPipelineEntityV1alpha1): string {
  return stringifyEntityRef(pipeline).toLowerCase();
}
