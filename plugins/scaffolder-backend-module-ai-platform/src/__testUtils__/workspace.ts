import { mockServices } from '@backstage/backend-test-utils';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A temp root with a `workspace` child, so `../escape` stays inside the root. */
export async function createTempWorkspace() {
  const root = await fs.mkdtemp(
    path.join(os.tmpdir(), 'ai-platform-scaffolder-'),
  );
  const workspacePath = path.join(root, 'workspace');
  await fs.mkdir(workspacePath);
  return {
    root,
    workspacePath,
    async listFiles(dir = root): Promise<string[]> {
      const entries = await fs.readdir(dir, { withFileTypes: true });
      const files: string[] = [];
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          files.push(...(await this.listFiles(full)));
        } else {
          files.push(path.relative(root, full));
        }
      }
      return files.sort();
    },
    async cleanup() {
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** A minimal scaffolder action context. */
export function createContext(
  input: Record<string, unknown>,
  workspacePath: string,
  isDryRun = false,
) {
  const outputs: Record<string, unknown> = {};
  const ctx = {
    input,
    workspacePath,
    isDryRun,
    logger: mockServices.logger.mock(),
    secrets: {},
    output: (key: string, value: unknown) => {
      outputs[key] = value;
    },
    checkpoint: async ({ fn }: { fn: () => unknown }) => fn(),
    createTemporaryDirectory: jest.fn(),
    getInitiatorCredentials: jest.fn(),
    task: { id: 'task-1' },
  };
  return { ctx: ctx as any, outputs };
}

/** Patterns that look like credentials (provider keys, bearer tokens). */
export const SECRET_PATTERNS = [
  /sk-[A-Za-z0-9_-]{8,}/,
  /Bearer\s+\S+/i,
  /api[_-]?key\s*[:=]\s*["']?[A-Za-z0-9_\-]{16,}/i,
  /[A-Za-z0-9+/]{40,}={0,2}/,
];
