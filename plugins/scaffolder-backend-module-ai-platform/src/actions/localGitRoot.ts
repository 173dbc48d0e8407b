import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LOCAL_GIT_ROOT_KEY } from '@aiplatform/plugin-ai-platform-node';

/**
 * The directory local git repositories are created in (absolute, or relative
 * to the backend's working directory); an error when it is not configured.
 */
export function readLocalGitRoot(config: Config): string {
  const root = config.getOptionalString(LOCAL_GIT_ROOT_KEY);
  if (!root) {
    throw new InputError(
      `Local git publishing is not configured: set ${LOCAL_GIT_ROOT_KEY}`,
    );
  }
  return path.resolve(root);
}

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
