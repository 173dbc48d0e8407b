import http from 'node:http';

/**
 * POSTs raw bytes (supertest would re-encode a Buffer or fix up a broken
 * body) and reads the answer; a JSON answer is parsed, anything else kept
 * as text.
 */
export function postRaw(options: {
  port: number;
  path: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  agent?: http.Agent;
}): Promise<{ status: number; body: any }> {
  const { port, path, body, headers = {}, agent } = options;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        },
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: kept as text.
          }
          resolve({ status: res.statusCode!, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
