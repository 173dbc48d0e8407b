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

/** Patterns that look like credentials (provider keys, bearer tokens). */
export const SECRET_PATTERNS = [
  /sk-[A-Za-z0-9_-]{8,}/,
  /Bearer\s+\S+/i,
  /api[_-]?key\s*[:=]\s*["']?[A-Za-z0-9_\-]{16,}/i,
  /[A-Za-z0-9+/]{40,}={0,2}/,
];
