import { Config } from '@backstage/config';

const DAY = 86_400_000;

/**
 * Data this close to the oldest edge of an ingestion window is left out, so
 * that a batch sent a moment later is still inside the backend's window.
 */
export const WINDOW_EDGE_MS = 60 * 60_000;

/**
 * What is replayed, and the oldest data the backend's ingestion routes
 * accept (read from the backend's own keys, with its defaults), so that the
 * replay never sends what would be refused.
 */
export interface DemoSettings {
  usage: boolean;
  signals: boolean;
  /** `aiPlatform.usage.rawRetentionDays` (default 90): older usage is refused. */
  rawRetentionMs: number;
  /** `aiPlatform.signals.maxAgeDays` (default 400): older points are refused. */
  signalMaxAgeMs: number;
}

export function readDemoSettings(config: Config): DemoSettings {
  return {
    usage: config.getOptionalBoolean('aiPlatform.demo.usage') ?? false,
    signals: config.getOptionalBoolean('aiPlatform.demo.signals') ?? false,
    rawRetentionMs:
      (config.getOptionalNumber('aiPlatform.usage.rawRetentionDays') ?? 90) *
      DAY,
    signalMaxAgeMs:
      (config.getOptionalNumber('aiPlatform.signals.maxAgeDays') ?? 400) * DAY,
  };
}
