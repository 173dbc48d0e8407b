import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A webhook receiver for the tests: verifies `x-ai-platform-signature`
 * (HMAC-SHA256 of the raw body under `secret`), answers 401 to a bad one,
 * and `status()` otherwise (200 unless a test says otherwise). Records the
 * calls whose signature held.
 */
export async function startWebhookReceiver(options: { secret: string }) {
  const calls: Array<{ body: any; raw: string }> = [];
  let attempts = 0;
  let status: () => number = () => 200;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      attempts += 1;
      const expected = Buffer.from(
        `sha256=${createHmac('sha256', options.secret)
          .update(raw)
          .digest('hex')}`,
      );
      const got = Buffer.from(
        String(req.headers['x-ai-platform-signature'] ?? ''),
      );
      if (
        got.length !== expected.length ||
        !timingSafeEqual(got, expected) ||
        req.headers['content-type'] !== 'application/json'
      ) {
        res.writeHead(401);
        res.end();
        return;
      }
      const code = status();
      if (code < 300) calls.push({ body: JSON.parse(raw), raw });
      res.writeHead(code);
      res.end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/halt`,
    calls,
    attempts: () => attempts,
    /** What the receiver answers from now on. */
    answer(next: number | (() => number)) {
      status = typeof next === 'number' ? () => next : next;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
