import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { promises as fs } from 'node:fs';
import path from 'node:path';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Throws an InputError unless `name` is a Kubernetes DNS-1123 label. */
export function assertDnsLabel(name: string, field = 'name'): void {
  if (!DNS_1123_LABEL.test(name) || name.length > 63) {
    throw new InputError(
      `Invalid ${field} '${name}': must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`,
    );
  }
}

/**
 * Normalizes a group reference to `group:<namespace>/<name>`, accepting
 * `name`, `namespace/name` and `group:namespace/name`.
 */
export function normalizeGroupRef(ref: string): string {
  let rest = ref.trim();
  let kind = 'group';
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    kind = rest.slice(0, colon);
    rest = rest.slice(colon + 1);
  }
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : 'default';
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
}

/** Looks up a value in a map keyed by group refs, comparing normalized refs. */
export function lookupByGroupRef<T>(
  map: Record<string, T> | undefined,
  owner: string,
): T | undefined {
  if (!map) {
    return undefined;
  }
  const wanted = normalizeGroupRef(owner);
  for (const [key, value] of Object.entries(map)) {
    if (normalizeGroupRef(key) === wanted) {
      return value;
    }
  }
  return undefined;
}

/**
 * Resolves every file inside the workspace first (so an unsafe path fails
 * before anything is written), then writes them all.
 */
export async function writeWorkspaceFiles(
  workspacePath: string,
  targetPath: string,
  files: Record<string, string>,
): Promise<string[]> {
  const dir = resolveSafeChildPath(workspacePath, targetPath);
  const resolved = Object.entries(files).map(
    ([name, content]) => [resolveSafeChildPath(dir, name), content] as const,
  );
  const written: string[] = [];
  for (const [file, content] of resolved) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content, 'utf8');
    written.push(file);
  }
  return written;
}
