import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  AIPipelineEntityV1alpha1,
  PipelineDashboard,
  PipelineHealth,
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

  /** Health of one pipeline now (for lists). */
  async getHealth(pipeline: AIPipelineEntityV1alpha1): Promise<PipelineHealth> {
    return (await this.assess(pipeline, Date.now())).health;
  }

  private async assess(pipeline: AIPipelineEntityV1alpha1, now: number) {
    const ref = stringifyEntityRef(pipeline).toLowerCase();
    const { signals, governance } = this.options;
    const [slos, trends, halt] = await Promise.all([
      Promise.all(
        (pipeline.spec.slos ?? []).map(async slo => {
          const window = parseDuration(slo.window ?? '28d');
          const samples = await signals.querySamples(
            ref,
            slo.stage ?? '',
            slo.signal,
            {
              hourlyFrom: now - Math.max(window, LONGEST_BURN_WINDOW),
              fineFrom: now - FINE_WINDOW,
              to: now,
            },
          );
          return evaluateSlo(slo, samples, now);
        }),
      ),
      signals.queryTrends(ref, now),
      governance.getHalt(ref),
    ]);
    const health = computePipelineHealth(pipeline, slos as SloReport[], {
      halted: halt.halted,
      trends,
    });
    return {
      slos,
      health: health.health,
      explanation: health.explanation,
      suspect: health.suspect,
      halt,
    };
  }
}
