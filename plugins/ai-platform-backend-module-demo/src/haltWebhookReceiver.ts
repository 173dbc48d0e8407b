import {
  HttpRouterService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';

/** The receiver's path under the plugin: `/api/ai-platform/demo/halt-webhook`. */
export const HALT_WEBHOOK_PATH = '/demo/halt-webhook';
const MAX_BODY_BYTES = 64 * 1024;
const SECRET_KEY = 'aiPlatform.governance.enforcers.webhook.secret';

type Handler = Parameters<HttpRouterService['use']>[0];

/** `aiPlatform.demo.haltWebhook`: where the log goes, and the secret. */
export function readHaltWebhookSettings(
  config: Config,
): { logFile: string; secret: string } | undefined {
  const logFile = config.getOptionalString(
    'aiPlatform.demo.haltWebhook.logFile',
  );
  if (!logFile) return undefined;
  const secret = config.getOptionalString(SECRET_KEY);
  if (!secret) {
    throw new Error(
      `Invalid config ${SECRET_KEY}: the demo halt webhook receiver (aiPlatform.demo.haltWebhook) verifies signatures with it; set it`,
    );
  }
  return { logFile: path.resolve(repoRoot(process.cwd()), logFile), secret };
}

/**
 * The Backstage repository around `dir` (the nearest directory with a
 * `backstage.json`), so that a relative log path means the same whether the
 * backend runs from the repository root or from `packages/backend`; `dir`
 * itself when there is none.
 */
export function repoRoot(dir: string): string {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'backstage.json'))) return d;
    if (path.dirname(d) === d) return path.resolve(dir);
  }
}

function verify(secret: string, raw: Buffer, header: unknown): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
  );
  const got = Buffer.from(typeof header === 'string' ? header : '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/**
 * A demo receiver for the backend's webhook halt enforcer: verifies
 * `x-ai-platform-signature` (HMAC-SHA256 of the raw body) and appends each
 * call it accepts to `logFile` as one JSON line, for people to read.
 * Answers 204, or 401 to a bad signature (logged as a warning only).
 */
export function createHaltWebhookReceiver(options: {
  logFile: string;
  secret: string;
  logger: LoggerService;
}): Handler {
  const { logFile, secret, logger } = options;
  return (req, res, next) => {
    if (req.method !== 'POST' || req.path !== HALT_WEBHOOK_PATH) {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', next);
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (size > MAX_BODY_BYTES) {
        res.status(413).end();
        return;
      }
      if (!verify(secret, raw, req.headers['x-ai-platform-signature'])) {
        logger.warn('Demo halt webhook: refused a call with a bad signature');
        res.status(401).end();
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        res.status(400).end();
        return;
      }
      const line = `${JSON.stringify({
        receivedAt: new Date().toISOString(),
        signature: 'valid',
        ...(body as object),
      })}\n`;
      fs.mkdir(path.dirname(logFile), { recursive: true })
        .then(() => fs.appendFile(logFile, line))
        .then(
          () => res.status(204).end(),
          error => next(error),
        );
    });
  };
}
