/*
 * Starts the real portal (`backstage-cli repo start`: the rspack dev server of
 * packages/app and the backend of packages/backend) for a browser benchmark,
 * on ports of its own, with an extra config file laid over app-config.yaml,
 * and stops it again (the whole process group).
 *
 * `repo start --config` replaces the default app-config.yaml loading, so
 * app-config.yaml is passed first, then the benchmark's file. The frontend dev
 * server listens on the port of app.baseUrl (app.listen.port when set).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface PortalOptions {
  frontendPort: number;
  backendPort: number;
  /** Extra config, as YAML text (JSON is YAML), laid over app-config.yaml. */
  configYaml: string;
  /** Directory for the generated config file and the portal's log. */
  workDir: string;
}

export interface Portal {
  frontendUrl: string;
  backendUrl: string;
  logFile: string;
  /** Resolves when both the frontend and the backend answer; rejects on exit or timeout. */
  ready(timeoutMs: number): Promise<{ seconds: number }>;
  /** Kills the whole process group (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return response.ok;
  } catch {
    return false;
  }
}

export function startPortal(options: PortalOptions): Portal {
  fs.mkdirSync(options.workDir, { recursive: true });
  const configFile = path.join(options.workDir, 'app-config.bench.yaml');
  fs.writeFileSync(configFile, options.configYaml);
  const logFile = path.join(options.workDir, 'portal.log');
  const log = fs.openSync(logFile, 'w');
  const cli = require.resolve('@backstage/cli/bin/backstage-cli');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      cli,
      'repo',
      'start',
      '--config',
      path.join(REPO_ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: REPO_ROOT,
      detached: true, // its own process group, killed as one
      stdio: ['ignore', log, log],
      env: { ...process.env, BROWSER: 'none', NODE_ENV: 'development' },
    },
  );
  fs.closeSync(log);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exit ${code ?? signal}`;
  });

  const frontendUrl = `http://localhost:${options.frontendPort}`;
  const backendUrl = `http://localhost:${options.backendPort}`;

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // A benchmark that throws or is interrupted still stops the portal.
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);

  return {
    frontendUrl,
    backendUrl,
    logFile,
    async ready(timeoutMs) {
      const start = Date.now();
      const readiness = `${backendUrl}/.backstage/health/v1/readiness`;
      while (Date.now() - start < timeoutMs) {
        if (exited) {
          throw new Error(`The portal stopped (${exited}); see ${logFile}`);
        }
        if ((await answers(readiness)) && (await answers(frontendUrl))) {
          return { seconds: (Date.now() - start) / 1000 };
        }
        await sleep(2000);
      }
      throw new Error(
        `The portal was not ready after ${timeoutMs / 1000} s; see ${logFile}`,
      );
    },
    async stop() {
      process.off('exit', onExit);
      if (exited) return;
      killGroup('SIGTERM');
      for (let i = 0; i < 100 && !exited; i++) await sleep(100);
      killGroup('SIGKILL');
    },
  };
}

/** A guest token from the portal's backend (the demo's guest sign-in). */
export async function guestToken(backendUrl: string): Promise<string> {
  const response = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!response.ok) {
    throw new Error(`Guest sign-in answered HTTP ${response.status}`);
  }
  const body = (await response.json()) as {
    backstageIdentity: { token: string };
  };
  return body.backstageIdentity.token;
}

/** Polls `url` with the token until `accept(json)` holds. */
export async function pollJson<T>(
  url: string,
  token: string,
  accept: (body: T) => boolean,
  timeoutMs: number,
): Promise<{ body: T; seconds: number }> {
  const start = Date.now();
  let last = '';
  while (Date.now() - start < timeoutMs) {
    try {
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (response.ok) {
        const body = (await response.json()) as T;
        if (accept(body)) return { body, seconds: (Date.now() - start) / 1000 };
        last = 'not yet complete';
      } else {
        last = `HTTP ${response.status}`;
      }
    } catch (error) {
      last = String(error);
    }
    await sleep(2000);
  }
  throw new Error(`${url} not ready after ${timeoutMs / 1000} s: ${last}`);
}
