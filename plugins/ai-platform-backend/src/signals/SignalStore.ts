import {
  DashboardSeries,
  SignalName,
} from '@aiplatform/plugin-ai-platform-common';
import {
  SignalPoint,
  SloSamples,
  StageSignalTrend,
} from '@aiplatform/plugin-ai-platform-node';

/** One series whose SLO samples are wanted, and where its hourly part starts. */
export interface SampleRequest {
  pipeline: string;
  /** Empty for pipeline-level series. */
  stage: string;
  signal: SignalName;
  /** Epoch ms; rounded down to its hour. */
  hourlyFrom: number;
}

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

  /**
   * Evaluation samples of many series for the SLO engine, in the order
   * asked: one read of the hourly rollups and one of the raw points for all
   * of them (in chunks of pipelines), not one per series.
   */
  querySamples(
    requests: SampleRequest[],
    range: { fineFrom: number; to: number },
  ): Promise<SloSamples[]>;

  /**
   * Recent-vs-baseline means of every series of each pipeline, ending at
   * `to`, in one grouped read; every pipeline asked for has an entry.
   */
  queryTrends(
    pipelines: string[],
    to: number,
  ): Promise<Map<string, StageSignalTrend[]>>;

  /** Epoch ms of the latest freshness point per `pipeline` + `\0` + `stage`. */
  lastFreshness(): Promise<Map<string, number>>;
}
