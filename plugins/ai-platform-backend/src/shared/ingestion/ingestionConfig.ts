import { Config } from '@backstage/config';

/** The ingestion routes, by the name their config goes under. */
export const INGESTION_ROUTES = {
  usage: 'POST /usage',
  litellm: 'POST /usage/litellm',
  signals: 'POST /signals',
  openlineage: 'POST /openlineage',
} as const;

export type IngestionRoute = keyof typeof INGESTION_ROUTES;

/** Default body limit of every ingestion route (inflated size). */
export const DEFAULT_MAX_BODY_SIZE = '64mb';
/** Default clock skew allowed for timestamps ahead of the server clock. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;
/** Default age of the oldest signal point accepted. */
export const DEFAULT_SIGNAL_MAX_AGE_DAYS = 400;
/** Default raw usage retention, also the age of the oldest usage accepted. */
export const DEFAULT_RAW_RETENTION_DAYS = 90;

/** What the ingestion routes accept, from `aiPlatform.ingestion` and friends. */
export interface IngestionSettings {
  /** Body limit per route (bytes or a size such as `64mb`), inflated. */
  maxBodySize: Record<IngestionRoute, string | number>;
  clockSkewMs: number;
  signalMaxAgeMs: number;
  rawRetentionMs: number;
}

const DAY = 86_400_000;

function positive(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`Invalid config ${key}: must be a positive number`);
  }
  return value;
}

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

/** Bytes of a limit such as `64mb` (as body-parser reads it); NaN for no size. */
export function limitBytes(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(limit.trim());
  if (!m) return NaN;
  return Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]);
}

function bodySize(config: Config, key: string, fallback: string | number) {
  const value = config.getOptional(key);
  if (value === undefined) return fallback;
  if (
    (typeof value === 'number' || typeof value === 'string') &&
    limitBytes(value) > 0
  ) {
    return value;
  }
  throw new Error(
    `Invalid config ${key}: give a number of bytes or a size such as 64mb`,
  );
}

/** Reads the ingestion settings; a malformed value fails the backend's start. */
export function readIngestionSettings(config: Config): IngestionSettings {
  const fallback = bodySize(
    config,
    'aiPlatform.ingestion.maxBodySize',
    DEFAULT_MAX_BODY_SIZE,
  );
  const maxBodySize = Object.fromEntries(
    Object.keys(INGESTION_ROUTES).map(route => [
      route,
      bodySize(
        config,
        `aiPlatform.ingestion.routes.${route}.maxBodySize`,
        fallback,
      ),
    ]),
  ) as IngestionSettings['maxBodySize'];
  return {
    maxBodySize,
    clockSkewMs:
      positive(
        config,
        'aiPlatform.ingestion.clockSkewSeconds',
        DEFAULT_CLOCK_SKEW_SECONDS,
      ) * 1000,
    signalMaxAgeMs:
      positive(
        config,
        'aiPlatform.signals.maxAgeDays',
        DEFAULT_SIGNAL_MAX_AGE_DAYS,
      ) * DAY,
    rawRetentionMs:
      positive(
        config,
        'aiPlatform.usage.rawRetentionDays',
        DEFAULT_RAW_RETENTION_DAYS,
      ) * DAY,
  };
}
