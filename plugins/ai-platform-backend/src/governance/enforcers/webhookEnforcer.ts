import { Config } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EnforcementResult,
  HaltEnforcementContext,
  HaltEnforcer,
} from '@aiplatform/plugin-ai-platform-node';
import { createHmac } from 'node:crypto';
import {
  readBoundedNumber,
  readHttpUrl,
  readRequiredString,
  sleep,
} from './enforcerConfig';

/** The header that carries the body's HMAC: `sha256=<hex>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-ai-platform-signature';

const CONFIG_KEY = 'aiPlatform.governance.enforcers.webhook';

/** The body the webhook receives. */
export interface HaltWebhookBody {
  action: 'halt' | 'resume';
  /** The pipeline's entity ref. */
  pipeline: string;
  reason: string;
  actor: string;
  /** ISO 8601. */
  at: string;
}

export interface WebhookEnforcerOptions {
  url: string;
  /** The HMAC-SHA256 key. */
  secret: string;
  /** Per attempt. */
  timeoutMs: number;
  /** Attempts after the first one, on a network error, 429 or 5xx. */
  retries: number;
  /** The wait before the first retry; doubled for each next one. Default 500 ms. */
  backoffMs?: number;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
}

/** `sha256=<hex>`: the HMAC-SHA256 of the raw body under `secret`. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** `aiPlatform.governance.enforcers.webhook`, or undefined when absent. */
export function readWebhookEnforcerOptions(
  config: Config,
): WebhookEnforcerOptions | undefined {
  const webhook = config.getOptionalConfig(CONFIG_KEY);
  if (!webhook) return undefined;
  return {
    url: readHttpUrl(
      readRequiredString(webhook, 'url', `${CONFIG_KEY}.url`),
      `${CONFIG_KEY}.url`,
    ),
    secret: readRequiredString(webhook, 'secret', `${CONFIG_KEY}.secret`),
    timeoutMs:
      readBoundedNumber(
        webhook,
        'timeoutSeconds',
        `${CONFIG_KEY}.timeoutSeconds`,
        {
          min: 1,
          max: 300,
          fallback: 10,
        },
      ) * 1000,
    retries: readBoundedNumber(webhook, 'retries', `${CONFIG_KEY}.retries`, {
      min: 0,
      max: 10,
      integer: true,
      fallback: 2,
    }),
  };
}

const retryable = (status: number) => status === 429 || status >= 500;

/**
 * Tells a URL of the halt and of the resume: an HMAC-signed JSON POST,
 * retried with exponential backoff. One result, its target the URL's origin:
 * `applied` on a 2xx, `failed` with the status otherwise.
 */
export function createWebhookEnforcer(
  options: WebhookEnforcerOptions,
): HaltEnforcer {
  const doFetch = options.fetch ?? fetch;
  const backoffMs = options.backoffMs ?? 500;
  // Only the origin: a webhook's path or query often holds a secret, and
  // the halt state is shown to everyone who can see the pipeline.
  const target = new URL(options.url).origin;

  async function post(
    action: HaltWebhookBody['action'],
    ctx: HaltEnforcementContext,
  ): Promise<EnforcementResult[]> {
    const body = JSON.stringify({
      action,
      pipeline: stringifyEntityRef(ctx.pipeline),
      reason: ctx.reason,
      actor: ctx.actor,
      at: ctx.at,
    } satisfies HaltWebhookBody);
    const attempts = options.retries + 1;
    let message = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let again = true;
      try {
        const response = await doFetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(options.secret, body),
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        // The body is not read: only the status counts.
        await response.body?.cancel().catch(() => undefined);
        const status = `${response.status} ${response.statusText}`.trim();
        if (response.ok) {
          return [
            { enforcer: 'webhook', target, status: 'applied', message: status },
          ];
        }
        message = status;
        again = retryable(response.status);
      } catch (error) {
        const cause = (error as { cause?: { message?: string } }).cause;
        message =
          (error as Error).name === 'TimeoutError'
            ? `no answer within ${options.timeoutMs / 1000} s`
            : cause?.message ?? (error as Error).message;
      }
      if (!again || attempt === attempts) {
        return [
          {
            enforcer: 'webhook',
            target,
            status: 'failed',
            message:
              attempt > 1 ? `${message} (after ${attempt} attempts)` : message,
          },
        ];
      }
      await sleep(backoffMs * 2 ** (attempt - 1));
    }
    throw new Error('unreachable');
  }

  return {
    id: 'webhook',
    halt: ctx => post('halt', ctx),
    resume: ctx => post('resume', ctx),
  };
}
