import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The `file://` URL of a path. */
export function toFileUrl(p: string): string {
  return pathToFileURL(p).toString();
}

/**
 * Resolves a `file://` URL (or a path) to a path that must lie inside
 * `root`; anything else is an InputError.
 */
export function resolveInsideRoot(root: string, urlOrPath: string): string {
  let p: string;
  try {
    p = urlOrPath.startsWith('file:') ? fileURLToPath(urlOrPath) : urlOrPath;
  } catch {
    throw new InputError(`Invalid file URL '${urlOrPath}'`);
  }
  const relative = path.relative(root, path.resolve(p));
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new InputError(
      `'${urlOrPath}' is not a repository under the local git root ${root}`,
    );
  }
  return resolveSafeChildPath(root, relative);
}
