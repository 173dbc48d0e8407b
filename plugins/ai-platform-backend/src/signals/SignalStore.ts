import {
  DashboardSeries,
  SignalName,
} from '@aiplatform/plugin-ai-platform-common';
import {
  SignalPoint,
  SloSamples,
  StageSignalTrend,
} from '@aiplatform/plugin-ai-platform-node';

/** Where validated signal points go: the store's batch path. */
export interface SignalSink {
  /**
   * Writes a batch all-or-nothing. Idempotent: a point with the same
   * pipeline, stage, signal, timestamp and source as a stored one is not
   * stored again. Returns how many points were new.
   */
  insertSignals(points: SignalPoint[]): Promise<{ inserted: number }>;
}

/** Raw signal points plus hourly and daily rollups. */
export interface SignalStore extends SignalSink {
  /** Series for a dashboard: hourly buckets up to 7 days, daily beyond. */
  querySeries(
    pipeline: string,
    range: { from: number; to: number },
  ): Promise<DashboardSeries[]>;

  /** Evaluation samples of one series for the SLO engine. */
  querySamples(
    pipeline: string,
    stage: string,
    signal: SignalName,
    range: { hourlyFrom: number; fineFrom: number; to: number },
  ): Promise<SloSamples>;

  /** Recent-vs-baseline means of every series of a pipeline, ending at `to`. */
  queryTrends(pipeline: string, to: number): Promise<StageSignalTrend[]>;

  /** Epoch ms of the latest freshness point per `pipeline` + `\0` + `stage`. */
  lastFreshness(): Promise<Map<string, number>>;
}
