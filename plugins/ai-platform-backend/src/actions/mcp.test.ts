import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import request from 'supertest';
import {
  ADMIN,
  PIPELINE,
  VIEWER,
  asUser,
  seedHistory,
  startActionsBackend,
} from '../__testUtils__/actionsBackend';

const TOOLS = [
  'ai-platform.get-pipeline-health',
  'ai-platform.get-pipeline-ownership',
  'ai-platform.get-team-spend',
  'ai-platform.halt-pipeline',
  'ai-platform.list-ownership-gaps',
  'ai-platform.resume-pipeline',
];

// The hook starts a whole backend: a harness timeout above jest's 5 s
// default for loaded machines (nothing here is timed).
jest.setTimeout(60_000);

describe('the actions as MCP tools, through @backstage/plugin-mcp-actions-backend and the MCP client', () => {
  let server: Server;
  let stop: () => Promise<void>;
  let baseUrl: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    ({ server, stop } = await startActionsBackend({ mcp: true }));
    await seedHistory(server);
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
    await stop();
  });

  /** An MCP client connected to /api/mcp-actions/v1 with a user's token. */
  async function connect(userEntityRef: string): Promise<Client> {
    const client = new Client({
      name: 'ai-platform-test-agent',
      version: '1.0.0',
    });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${baseUrl}/api/mcp-actions/v1`),
        {
          requestInit: { headers: { Authorization: asUser(userEntityRef) } },
        },
      ),
    );
    clients.push(client);
    return client;
  }

  const rest = async (path: string, userEntityRef: string) => {
    const res = await request(server)
      .get(`/api/ai-platform${path}`)
      .set('Authorization', asUser(userEntityRef));
    expect(res.status).toBe(200);
    return res.body;
  };

  /** Calls a tool; its answer as the structured content and the text. */
  async function call(client: Client, name: string, args: object) {
    const result: any = await client.callTool({ name, arguments: args as any });
    if (!result.isError) {
      expect(JSON.parse(result.content[0].text)).toEqual(
        result.structuredContent,
      );
    }
    return result;
  }

  it('lists the six tools with their input schemas and hints', async () => {
    const client = await connect(VIEWER);
    const { tools } = await client.listTools();
    const ours = tools.filter(t => t.name.startsWith('ai-platform.'));
    expect(ours.map(t => t.name).sort()).toEqual(TOOLS);
    const halt = ours.find(t => t.name === 'ai-platform.halt-pipeline')!;
    expect(halt.annotations).toMatchObject({
      title: 'Halt pipeline',
      destructiveHint: true,
      readOnlyHint: false,
    });
    expect(halt.inputSchema.required).toEqual(['pipeline', 'reason']);
    expect(halt.description).toContain('ai-platform.pipeline.halt');
    const health = ours.find(
      t => t.name === 'ai-platform.get-pipeline-health',
    )!;
    expect(health.annotations).toMatchObject({
      readOnlyHint: true,
      idempotentHint: true,
      destructiveHint: false,
    });
    expect(Object.keys(health.inputSchema.properties!)).toEqual([
      'pipeline',
      'from',
      'to',
    ]);
  });

  it('answers each read tool with what its REST route answers', async () => {
    const client = await connect(ADMIN);

    const ownership = await call(client, 'ai-platform.get-pipeline-ownership', {
      pipeline: 'support-answers',
    });
    expect(ownership.structuredContent).toEqual(
      await rest('/pipelines/default/support-answers/ownership', ADMIN),
    );

    const gaps = await call(client, 'ai-platform.list-ownership-gaps', {
      team: 'group:default/ml-team',
    });
    // The route answers a page (all of it here); the tool every item.
    const report = await rest(
      '/ownership/report?owner=group:default/ml-team',
      ADMIN,
    );
    expect(gaps.structuredContent).toEqual({ items: report.items });
    expect(report.totalItems).toBe(report.items.length);
    const supportAnswers = gaps.structuredContent.items.find(
      (i: any) => i.pipeline === PIPELINE,
    );
    expect(supportAnswers.findings).toContainEqual(
      expect.objectContaining({ code: 'unowned-stage', severity: 'error' }),
    );

    const health = await call(client, 'ai-platform.get-pipeline-health', {
      pipeline: PIPELINE,
    });
    const { from, to } = health.structuredContent;
    const { series: _series, ...dashboard } = await rest(
      `/pipelines/default/support-answers/dashboard?from=${from}&to=${to}`,
      ADMIN,
    );
    expect(health.structuredContent).toEqual(dashboard);

    const now = new Date().toISOString();
    const spend = await call(client, 'ai-platform.get-team-spend', {
      team: 'ml-team',
      to: now,
      groupBy: 'model',
    });
    expect(spend.structuredContent).toEqual(
      await rest(
        `/spend?team=group:default/ml-team&groupBy=model&to=${now}`,
        ADMIN,
      ),
    );
    expect(spend.structuredContent.items.map((i: any) => i.key).sort()).toEqual(
      ['claude-sonnet', 'gpt-4o'],
    );
  });

  it('refuses spend and halting to a user without the permissions, as tool errors', async () => {
    const client = await connect(VIEWER);

    const spend = await call(client, 'ai-platform.get-team-spend', {
      team: 'ml-team',
    });
    expect(spend.isError).toBe(true);
    expect(spend.content[0].text).toMatch(
      /^NotAllowedError: .*ai-platform\.spend\.read/,
    );

    for (const tool of [
      'ai-platform.halt-pipeline',
      'ai-platform.resume-pipeline',
    ]) {
      const refused = await call(client, tool, {
        pipeline: PIPELINE,
        reason: 'quality fell',
      });
      expect(refused.isError).toBe(true);
      expect(refused.content[0].text).toMatch(
        /^NotAllowedError: .*ai-platform\.pipeline\.halt/,
      );
    }
    expect(
      (await rest('/pipelines/default/support-answers/halt', VIEWER)).halted,
    ).toBe(false);

    const badInput = await call(client, 'ai-platform.get-pipeline-ownership', {
      pipeline: 'component:default/answers',
    });
    expect(badInput.isError).toBe(true);
    expect(badInput.content[0].text).toContain('Invalid input pipeline');
  });

  it('halts and resumes as a user with the halt permission, as the halt route shows it', async () => {
    const client = await connect(ADMIN);

    const halted = await call(client, 'ai-platform.halt-pipeline', {
      pipeline: PIPELINE,
      reason: 'answer quality below 0.8',
    });
    expect(halted.isError).toBeFalsy();
    expect(halted.structuredContent).toMatchObject({
      halted: true,
      reason: 'answer quality below 0.8',
      by: ADMIN,
    });
    expect(halted.structuredContent).toEqual(
      await rest('/pipelines/default/support-answers/halt', VIEWER),
    );

    const resumed = await call(client, 'ai-platform.resume-pipeline', {
      pipeline: PIPELINE,
      reason: 'fixed',
    });
    expect(resumed.structuredContent).toMatchObject({
      halted: false,
      by: ADMIN,
    });
    expect(resumed.structuredContent).toEqual(
      await rest('/pipelines/default/support-answers/halt', VIEWER),
    );
    const audit = await rest(`/audit?entityRef=${PIPELINE}`, ADMIN);
    expect(audit.items.map((e: any) => [e.type, e.actor])).toEqual([
      ['pipeline.resumed', ADMIN],
      ['pipeline.halted', ADMIN],
    ]);
  });

  it('refuses a connection without a user or service token', async () => {
    const res = await fetch(`${baseUrl}/api/mcp-actions/v1`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: mockCredentials.none.header(),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
  });
});
