/**
 * An HTTP service that answers chat requests through the central LLM gateway.
 *
 * The gateway speaks the OpenAI API, so the official OpenAI SDK is the client.
 * The service never holds a provider key: OPENAI_BASE_URL points at the
 * gateway and OPENAI_API_KEY is the service's own gateway key, mounted from a
 * Kubernetes Secret. Every request carries the catalog entity ref in the
 * `x-backstage-entity` header so the gateway can attribute usage and spend.
 */
import http from 'node:http';
import OpenAI from 'openai';

/** The catalog entity this service is registered as. */
export const ENTITY_REF = ${{ ('component:default/' + values.name) | dump }};

/** The model used when LLM_MODEL is not set. */
export const DEFAULT_MODEL = ${{ values.defaultModel | dump }};

/** Largest request body accepted, in bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The gateway client. Retries are the SDK's own (two, with backoff, on
 * connection errors, 408, 409, 429 and 5xx); the service adds none.
 */
export function createClient(): OpenAI {
  return new OpenAI({
    baseURL: process.env.OPENAI_BASE_URL,
    apiKey: process.env.OPENAI_API_KEY,
    defaultHeaders: { 'x-backstage-entity': ENTITY_REF },
  });
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        reject(new HttpError(400, 'Request body must be JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** Accepts `{ "message": "..." }` or `{ "messages": [{ role, content }] }`. */
function toMessages(body: unknown): ChatMessage[] {
  const input = (body ?? {}) as { message?: unknown; messages?: unknown };
  if (typeof input.message === 'string' && input.message.trim()) {
    return [{ role: 'user', content: input.message }];
  }
  if (Array.isArray(input.messages) && input.messages.length > 0) {
    for (const m of input.messages) {
      const { role, content } = (m ?? {}) as { role?: unknown; content?: unknown };
      if (
        !['system', 'user', 'assistant'].includes(String(role)) ||
        typeof content !== 'string'
      ) {
        throw new HttpError(
          400,
          'Each message needs a role (system, user or assistant) and a string content',
        );
      }
    }
    return input.messages as ChatMessage[];
  }
  throw new HttpError(400, 'Send { "message": "..." } or { "messages": [...] }');
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Creates the HTTP server; it does not listen yet. */
export function createService(
  options: { client?: OpenAI; model?: string } = {},
): http.Server {
  const client = options.client ?? createClient();
  const model = options.model ?? process.env.LLM_MODEL ?? DEFAULT_MODEL;

  return http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (req.method === 'GET' && url.pathname === '/healthz') {
        send(res, 200, { status: 'ok' });
        return;
      }
      if (url.pathname === '/chat') {
        if (req.method !== 'POST') {
          throw new HttpError(405, 'Use POST');
        }
        const messages = toMessages(await readJson(req));
        const completion = await client.chat.completions.create({
          model,
          messages,
        });
        send(res, 200, {
          model: completion.model,
          answer: completion.choices[0]?.message?.content ?? '',
          usage: completion.usage ?? null,
        });
        return;
      }
      throw new HttpError(404, 'Not found');
    } catch (error) {
      if (error instanceof HttpError) {
        send(res, error.status, { error: error.message });
      } else if (error instanceof OpenAI.APIError) {
        // The gateway answered with an error (quota, rate limit, model not
        // allowed, upstream failure): pass its status on as a bad gateway.
        send(res, 502, {
          error: `Gateway error ${error.status ?? ''}: ${error.message}`.trim(),
        });
      } else {
        send(res, 500, { error: 'Internal error' });
      }
    }
  });
}

if (require.main === module) {
  const port = Number(process.env.PORT ?? 8080);
  const server = createService();
  server.listen(port, () => {
    console.log(`${ENTITY_REF} listening on port ${port}`);
  });
  const shutdown = () => server.close(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
