import { createMockDirectory } from '@backstage/backend-test-utils';

/**
 * A temp root with a `workspace` child, so `../escape` stays inside the
 * root; emptied by `cleanup` and removed after the test file. Call at the
 * top level of a test file.
 */
export function createTempRoot() {
  const dir = createMockDirectory();
  return {
    async create() {
      dir.setContent({ workspace: {} });
      return { root: dir.path, workspacePath: dir.resolve('workspace') };
    },
    async cleanup() {
      dir.clear();
    },
  };
}
