import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  LOCAL_GIT_LOCATION_TYPE,
  MAX_LOCAL_GIT_CATALOG_FILE_BYTES,
  parseGeneratedCatalogFile,
  resolveLocalGitTarget,
} from '../localGitCatalog';
import { promises as fs } from 'node:fs';

/**
 * Reads `ai-platform-local-git` locations: catalog files in the repositories
 * `ai-platform:publish:local-git` created under the local git root. The
 * target must resolve (symlinks followed) to a `.yaml` file strictly inside
 * the root, and the file may hold only entities: a `Location` or a `$`
 * placeholder fails the whole file. So even a location registered directly
 * through the catalog API reads no other server file, URL or location.
 *
 * @public
 */
export class LocalGitLocationProcessor implements CatalogProcessor {
  constructor(private readonly root: string) {}

  getProcessorName(): string {
    return 'AiPlatformLocalGitLocationProcessor';
  }

  async readLocation(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
  ): Promise<boolean> {
    if (location.type !== LOCAL_GIT_LOCATION_TYPE) {
      return false;
    }
    let file: string;
    try {
      file = await resolveLocalGitTarget(this.root, location.target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        if (!optional) {
          emit(
            processingResult.notFoundError(
              location,
              `${location.type} ${location.target} does not exist`,
            ),
          );
        }
      } else {
        emit(processingResult.inputError(location, (error as Error).message));
      }
      return true;
    }
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) {
        throw new Error(`${location.target} is not a file`);
      }
      if (stat.size > MAX_LOCAL_GIT_CATALOG_FILE_BYTES) {
        throw new Error(
          `${location.target} is larger than ${MAX_LOCAL_GIT_CATALOG_FILE_BYTES} bytes`,
        );
      }
      const entities = parseGeneratedCatalogFile(
        await fs.readFile(file),
        location,
      );
      for (const entity of entities) {
        emit(processingResult.entity(location, entity));
      }
      emit(processingResult.refresh(`${location.type}:${location.target}`));
    } catch (error) {
      emit(processingResult.inputError(location, (error as Error).message));
    }
    return true;
  }
}
