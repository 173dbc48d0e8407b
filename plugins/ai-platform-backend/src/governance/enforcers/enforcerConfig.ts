import { Config } from '@backstage/config';

/** A config error that names the key. */
export function configError(key: string, problem: string): Error {
  return new Error(`Invalid config ${key}: ${problem}`);
}

/** `value` as an http(s) URL without a trailing slash; errors name `fullKey`. */
export function readHttpUrl(value: string, fullKey: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(fullKey, `"${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(fullKey, `"${value}" must be http or https`);
  }
  return value.trim().replace(/\/+$/, '');
}

/** An optional number in [min, max] (integer when asked), or `fallback`. */
export function readBoundedNumber(
  config: Config,
  key: string,
  fullKey: string,
  bounds: { min: number; max: number; integer?: boolean; fallback: number },
): number {
  if (!config.has(key)) return bounds.fallback;
  let value: number;
  try {
    value = config.getNumber(key);
  } catch {
    throw configError(fullKey, 'must be a number');
  }
  if (
    !Number.isFinite(value) ||
    value < bounds.min ||
    value > bounds.max ||
    (bounds.integer && !Number.isInteger(value))
  ) {
    throw configError(
      fullKey,
      `must be ${bounds.integer ? 'an integer' : 'a number'} from ${
        bounds.min
      } to ${bounds.max}, got ${value}`,
    );
  }
  return value;
}

/** A non-blank string, or a config error naming the key. */
export function readRequiredString(
  config: Config,
  key: string,
  fullKey: string,
): string {
  const value = config.getOptional(key);
  if (typeof value !== 'string' || value.trim() === '') {
    throw configError(fullKey, 'is required (a non-empty string)');
  }
  return value;
}

/** Waits `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
