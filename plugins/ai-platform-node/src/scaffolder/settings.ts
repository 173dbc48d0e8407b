import { GpuFlavor } from '@aiplatform/plugin-ai-platform-common';
import { tryNormalizeRef } from '../ownership/catalogIndex';
import { GPU_REQUEST_ANNOTATION } from './annotations';

/**
 * Models teams may call through the gateway (`aiPlatform.gateway.allowedModels`).
 *
 * @public
 */
export interface AllowedModelSettings {
  /** Models every team may use. */
  default: string[];
  /** Extra models per group ref. */
  groups: Record<string, string[]>;
}

/**
 * GPU flavors and quotas (`aiPlatform.gpu`).
 *
 * @public
 */
export interface GpuSettings {
  flavors: Record<string, GpuFlavor>;
  /** GPUs per group ref. */
  quotas: Record<string, number>;
  /** Quota of a group without an entry; 0 unless configured. */
  defaultQuota: number;
}

function groupRef(ref: string): string {
  return (
    tryNormalizeRef(ref, { defaultKind: 'group' }) ?? ref.trim().toLowerCase()
  );
}

function lookup<T>(map: Record<string, T>, owner: string): T | undefined {
  const wanted = groupRef(owner);
  for (const [key, value] of Object.entries(map)) {
    if (groupRef(key) === wanted) return value;
  }
  return undefined;
}

/**
 * Normalizes `ml-team`, `default/ml-team` or `group:default/ml-team`.
 *
 * @public
 */
export function normalizeOwnerRef(owner: string): string {
  return groupRef(owner);
}

/**
 * The models `owner` may use: the defaults plus the group's own, deduplicated.
 *
 * @public
 */
export function allowedModelsFor(
  settings: AllowedModelSettings,
  owner: string,
): string[] {
  return [
    ...new Set([
      ...settings.default,
      ...(lookup(settings.groups, owner) ?? []),
    ]),
  ];
}

/**
 * The GPU quota of `owner`.
 *
 * @public
 */
export function gpuQuotaFor(settings: GpuSettings, owner: string): number {
  return lookup(settings.quotas, owner) ?? settings.defaultQuota;
}

/**
 * GPUs requested by entities, read from their
 * `ai-platform.io/gpu-request` annotation; unparsable values count as 0.
 *
 * @public
 */
export function sumGpuRequests(
  entities: ReadonlyArray<{
    metadata: { annotations?: Record<string, string> };
  }>,
): number {
  let total = 0;
  for (const entity of entities) {
    const raw = entity.metadata.annotations?.[GPU_REQUEST_ANNOTATION];
    const value = raw === undefined ? NaN : Number(raw);
    if (Number.isInteger(value) && value > 0) total += value;
  }
  return total;
}

/**
 * The outcome of checking a GPU request against a quota.
 *
 * @public
 */
export interface GpuQuotaCheck {
  ok: boolean;
  quota: number;
  currentUse: number;
  request: number;
  /** GPUs left after the request (negative when over quota). */
  remaining: number;
}

/**
 * Checks `request` more GPUs against `quota` given `currentUse`.
 *
 * @public
 */
export function checkGpuQuota(args: {
  quota: number;
  currentUse: number;
  request: number;
}): GpuQuotaCheck {
  const remaining = args.quota - args.currentUse - args.request;
  return { ...args, ok: remaining >= 0, remaining };
}
