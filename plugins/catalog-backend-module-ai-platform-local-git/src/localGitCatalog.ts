import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { LocationSpec, parseEntityYaml } from '@backstage/plugin-catalog-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Config key of the directory local git repositories are published in: the
 * one setting the local-git scaffolder module (which writes there) and this
 * catalog module (which reads only there) share.
 *
 * @public
 */
export const LOCAL_GIT_ROOT_KEY = 'aiPlatform.localGit.root';

/**
 * The local git root, as an absolute path (a relative one is relative to the
 * backend's working directory). Missing config fails with Backstage's
 * error naming {@link LOCAL_GIT_ROOT_KEY}.
 *
 * @public
 */
export function readLocalGitRoot(config: Config): string {
  return path.resolve(config.getString(LOCAL_GIT_ROOT_KEY));
}

/**
 * Location type of a catalog file in a repository that
 * `ai-platform:publish:local-git` created under the local git root
 * ({@link LOCAL_GIT_ROOT_KEY}). Its target is the file's path relative to
 * that root, e.g. `support-bot/catalog-info.yaml`.
 *
 * @public
 */
export const LOCAL_GIT_LOCATION_TYPE = 'ai-platform-local-git';

/**
 * The largest catalog file read from a local git repository.
 *
 * @public
 */
export const MAX_LOCAL_GIT_CATALOG_FILE_BYTES = 1024 * 1024;

/**
 * Checks a relative path to a catalog file: `/`-separated, no empty, `.`
 * or `..` segment, no backslash or NUL, ending in `.yaml` or `.yml`. A
 * leading `/` (the repository root, as templates write it) is allowed only
 * with `leadingSlash`. Returns the path without it; an InputError naming
 * `field` otherwise.
 *
 * @public
 */
export function checkCatalogFilePath(
  value: unknown,
  field: string,
  options: { leadingSlash?: boolean } = {},
): string {
  const invalid = (why: string) =>
    new InputError(`Invalid ${field} ${JSON.stringify(value)}: ${why}`);
  if (typeof value !== 'string' || value === '') {
    throw invalid('must be a path');
  }
  const relative = options.leadingSlash ? value.replace(/^\/+/, '') : value;
  if (/[\\\0]/.test(relative) || path.isAbsolute(relative)) {
    throw invalid('must be a relative path with / separators');
  }
  const segments = relative.split('/');
  if (segments.some(s => s === '' || s === '.' || s === '..')) {
    throw invalid('may not contain empty, "." or ".." segments');
  }
  if (!/\.ya?ml$/.test(relative)) {
    throw invalid('must be a .yaml or .yml file');
  }
  return relative;
}

/** True when `child` is `parent` or below it. */
function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) &&
      relative !== '..' &&
      !path.isAbsolute(relative))
  );
}

/**
 * Resolves a {@link LOCAL_GIT_LOCATION_TYPE} target (a path relative to the
 * local git root, `<repository>/<file>`) to the real path of the file,
 * following symlinks: a path that leaves the root, or that resolves outside
 * it, is refused (NotAllowedError). A missing file rejects with the
 * file-system error (code `ENOENT`).
 *
 * @public
 */
export async function resolveLocalGitTarget(
  root: string,
  target: string,
): Promise<string> {
  const relative = checkCatalogFilePath(target, 'target');
  if (!relative.includes('/')) {
    throw new InputError(
      `Invalid target ${JSON.stringify(
        target,
      )}: must be <repository>/<catalog file>`,
    );
  }
  const realRoot = await fs.realpath(path.resolve(root));
  const real = await fs.realpath(path.join(realRoot, relative));
  if (!isInside(realRoot, real) || real === realRoot) {
    throw new NotAllowedError(`${target} resolves outside the local git root`);
  }
  return real;
}

/** The path of the first `$`-prefixed key (a catalog placeholder), if any. */
function findPlaceholder(value: unknown, at: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findPlaceholder(value[i], `${at}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const here = at ? `${at}.${key}` : key;
      if (key.startsWith('$')) return here;
      const found = findPlaceholder(child, here);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The entities of a catalog file that a template generated, all or nothing:
 * every document must parse as an entity; a `Location` (which would make
 * the catalog read another target) and any `$text`, `$json`, `$yaml` or
 * other `$` placeholder (which would make it read a URL) are refused with
 * an InputError naming the document.
 *
 * @public
 */
export function parseGeneratedCatalogFile(
  data: string | Buffer,
  location: LocationSpec,
): Entity[] {
  const where = `${location.type}:${location.target}`;
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (size > MAX_LOCAL_GIT_CATALOG_FILE_BYTES) {
    throw new InputError(
      `${where} is larger than ${MAX_LOCAL_GIT_CATALOG_FILE_BYTES} bytes`,
    );
  }
  const entities: Entity[] = [];
  for (const result of parseEntityYaml(data, location)) {
    if (result.type === 'error') {
      throw new InputError(`${where}: ${result.error.message}`);
    }
    if (result.type !== 'entity') continue;
    const { entity } = result;
    const name = `document ${entities.length + 1} (${entity.kind} ${
      entity.metadata?.name
    })`;
    if (String(entity.kind).toLowerCase() === 'location') {
      throw new InputError(
        `${where}: ${name} is a Location; a generated catalog file may only hold the entities themselves`,
      );
    }
    const placeholder = findPlaceholder(entity, '');
    if (placeholder) {
      throw new InputError(
        `${where}: ${name} has the placeholder ${placeholder}; placeholders are not allowed in a generated catalog file`,
      );
    }
    entities.push(entity);
  }
  if (entities.length === 0) {
    throw new InputError(`${where} holds no entity`);
  }
  return entities;
}
