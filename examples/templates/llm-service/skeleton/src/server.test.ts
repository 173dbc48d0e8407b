import assert from 'node:assert/strict';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_MODEL, ENTITY_REF, createService } from './server';

type Received = {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: { model?: string; messages?: unknown[] };
};

/**
 * A fake LLM gateway: answers `POST .../chat/completions` in the OpenAI
 * format and records every request it gets.
 */
function startFakeGateway(received: Received[], status = () => 200) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      res.statusCode = status();
      if (res.statusCode !== 200) {
        res.end(
          JSON.stringify({
            error: { message: 'model not allowed for this key', type: 'invalid_request_error' },
          }),
        );
        return;
      }
      res.end(
        JSON.stringify({
          id: 'chatcmpl-fake-1',
          object: 'chat.completion',
          created: 1700000000,
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: 'Hello from the fake gateway' },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 },
        }),
      );
    });
  });
  return new Promise<http.Server>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server)),
  );
}

function listen(server: http.Server) {
  return new Promise<string>(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function close(server: http.Server) {
  return new Promise<void>(resolve => server.close(() => resolve()));
}

describe(${{ values.name | dump }}, () => {
  const received: Received[] = [];
  let gatewayStatus = 200;
  let gateway: http.Server;
  let service: http.Server;
  let serviceUrl: string;

  before(async () => {
    gateway = await startFakeGateway(received, () => gatewayStatus);
    const { port } = gateway.address() as AddressInfo;
    // The same variables the Deployment sets; the key is a placeholder.
    process.env.OPENAI_BASE_URL = `http://127.0.0.1:${port}/v1`;
    process.env.OPENAI_API_KEY = 'fake';
    delete process.env.LLM_MODEL;
    service = createService();
    serviceUrl = await listen(service);
  });

  after(async () => {
    await close(service);
    await close(gateway);
  });

  beforeEach(() => {
    received.length = 0;
    gatewayStatus = 200;
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${serviceUrl}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
    assert.equal(received.length, 0);
  });

  it('sends chat requests through the gateway with the model and the entity header', async () => {
    const res = await fetch(`${serviceUrl}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'What is our refund policy?' }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { answer: string; model: string };
    assert.equal(body.answer, 'Hello from the fake gateway');
    assert.equal(body.model, DEFAULT_MODEL);

    assert.equal(received.length, 1);
    const [request] = received;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/v1/chat/completions');
    assert.equal(request.body.model, DEFAULT_MODEL);
    assert.deepEqual(request.body.messages, [
      { role: 'user', content: 'What is our refund policy?' },
    ]);
    assert.equal(request.headers['x-backstage-entity'], ENTITY_REF);
    assert.equal(ENTITY_REF, ${{ ('component:default/' + values.name) | dump }});
  });

  it('rejects a request without messages without calling the gateway', async () => {
    const res = await fetch(`${serviceUrl}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    assert.equal(res.status, 400);
    assert.equal(received.length, 0);
  });

  it('reports a gateway refusal as 502 and does not retry it', async () => {
    gatewayStatus = 400;
    const res = await fetch(`${serviceUrl}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(res.status, 502);
    const body = (await res.json()) as { error: string };
    assert.match(body.error, /400/);
    assert.equal(received.length, 1);
  });
});
