import { mockCredentials } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import {
  hidingCatalog,
  hidingPermissions,
} from '../__testUtils__/hidingCatalog';
import { orgFixture } from '../__testUtils__/orgFixture';

const CHURN = 'aipipeline:default/churn-train';
const SEARCH = 'aipipeline:default/search-rag';
const WEB = 'aipipeline:default/web-assistant';
const BOB = 'user:default/bob';

const refs = (body: { items: Array<{ pipeline: string }> }) =>
  body.items.map(i => i.pipeline);

describe('pagination, filtering and sorting of the list routes', () => {
  let app: express.Express;

  beforeAll(async () => {
    // search-rag does not exist for bob; everyone else sees it.
    ({ app } = await createTestApp({
      entities: orgFixture(),
      catalog: hidingCatalog({
        entities: orgFixture(),
        userRef: BOB,
        hidden: [SEARCH],
      }),
      permissions: hidingPermissions(BOB),
    }));
  });

  const asBob = (path: string) =>
    request(app)
      .get(path)
      .set('Authorization', mockCredentials.user.header(BOB));

  describe('GET /pipelines', () => {
    it('answers the first page by ref with the defaults', async () => {
      const res = await request(app).get('/pipelines');

      expect(res.status).toBe(200);
      expect(refs(res.body)).toEqual([CHURN, SEARCH, WEB]);
      expect(res.body).toMatchObject({ totalItems: 3, limit: 100, offset: 0 });
    });

    it('cuts the page at limit and offset, counting every match', async () => {
      const res = await request(app).get('/pipelines?limit=1&offset=1');

      expect(res.status).toBe(200);
      expect(refs(res.body)).toEqual([SEARCH]);
      expect(res.body).toMatchObject({ totalItems: 3, limit: 1, offset: 1 });

      const past = await request(app).get('/pipelines?offset=3');
      expect(past.body).toMatchObject({ items: [], totalItems: 3, offset: 3 });
    });

    it.each([
      ['the title, case-insensitively', 'rag', [SEARCH]],
      ['the owner', 'WEB-TEAM', [WEB]],
      ['the ref', 'churn', [CHURN]],
      ['nothing', 'no-such-thing', []],
    ])('filters by q matching %s', async (_, q, expected) => {
      const res = await request(app).get(
        `/pipelines?q=${encodeURIComponent(q)}`,
      );

      expect(res.status).toBe(200);
      expect(refs(res.body)).toEqual(expected);
      expect(res.body.totalItems).toBe(expected.length);
    });

    it.each([
      ['-name', [WEB, SEARCH, CHURN]],
      ['-owner', [WEB, SEARCH, CHURN]],
      ['owner', [CHURN, SEARCH, WEB]],
      ['stages', [WEB, CHURN, SEARCH]],
      ['-stages', [SEARCH, CHURN, WEB]],
      // churn-train has 3 errors; the others none, in ref order.
      ['-errors', [CHURN, SEARCH, WEB]],
      ['errors', [SEARCH, WEB, CHURN]],
    ])('sorts by %s, ties by ref', async (sort, expected) => {
      const res = await request(app).get(`/pipelines?sort=${sort}`);

      expect(res.status).toBe(200);
      expect(refs(res.body)).toEqual(expected);
    });

    it('neither lists nor counts a pipeline the caller cannot see', async () => {
      const res = await asBob('/pipelines?limit=1');

      expect(res.status).toBe(200);
      expect(refs(res.body)).toEqual([CHURN]);
      expect(res.body.totalItems).toBe(2);

      const all = await asBob('/pipelines');
      expect(refs(all.body)).toEqual([CHURN, WEB]);
      expect(await asBob('/pipelines?q=rag')).toMatchObject({
        body: { items: [], totalItems: 0 },
      });
    });
  });

  describe('GET /ownership/report', () => {
    it('pages, counts and sorts the report', async () => {
      const res = await request(app).get(
        '/ownership/report?owner=ml-platform&limit=1&offset=1',
      );

      expect(res.status).toBe(200);
      expect(refs(res.body)).toEqual([SEARCH]);
      expect(res.body).toMatchObject({ totalItems: 2, limit: 1, offset: 1 });

      const byOwner = await request(app).get('/ownership/report?sort=-owner');
      expect(refs(byOwner.body)).toEqual([WEB, SEARCH, CHURN]);

      const byErrors = await request(app).get('/ownership/report?sort=errors');
      expect(refs(byErrors.body)).toEqual([SEARCH, WEB, CHURN]);
    });

    it('filters by a finding code or message, and by owner', async () => {
      const all = await request(app).get('/ownership/report');
      const codes = new Set<string>(
        all.body.items.flatMap((i: { findings: Array<{ code: string }> }) =>
          i.findings.map(f => f.code),
        ),
      );
      expect(codes).toContain('unowned-stage');

      const byCode = await request(app).get(
        '/ownership/report?q=UNOWNED-STAGE',
      );
      const expected = all.body.items
        .filter((i: { findings: Array<{ code: string }> }) =>
          i.findings.some(f => f.code === 'unowned-stage'),
        )
        .map((i: { pipeline: string }) => i.pipeline);
      expect(refs(byCode.body)).toEqual(expected);
      expect(byCode.body.totalItems).toBe(expected.length);
      expect(expected.length).toBeLessThan(3);

      const message: string = all.body.items[1].findings[0].message;
      const byMessage = await request(app).get(
        `/ownership/report?q=${encodeURIComponent(message)}`,
      );
      expect(refs(byMessage.body)).toContain(SEARCH);

      const byOwner = await request(app).get('/ownership/report?q=ghost');
      expect(refs(byOwner.body)).toEqual([CHURN]);
    });

    it('neither lists nor counts a pipeline the caller cannot see', async () => {
      const res = await asBob('/ownership/report');

      expect(res.status).toBe(200);
      expect(refs(res.body)).toEqual([CHURN, WEB]);
      expect(res.body.totalItems).toBe(2);
    });
  });

  describe('GET /stages', () => {
    const stages = (body: { items: Array<{ stage: string }> }) =>
      body.items.map(i => i.stage);

    it('pages, filters and sorts the stages', async () => {
      const page = await request(app).get(
        '/stages?owner=ml-team&limit=1&offset=1',
      );
      expect(page.status).toBe(200);
      expect(stages(page.body)).toEqual(['index']);
      expect(page.body).toMatchObject({ totalItems: 3, limit: 1, offset: 1 });

      const desc = await request(app).get('/stages?owner=ml-team&sort=-stage');
      expect(stages(desc.body)).toEqual(['serve', 'index', 'embed']);

      const byEntity = await request(app).get(
        '/stages?owner=ml-team&q=component:default/EMBEDDER',
      );
      expect(stages(byEntity.body)).toEqual(['embed']);
      expect(byEntity.body.totalItems).toBe(1);

      const byTitle = await request(app).get('/stages?owner=ml-team&q=(RAG)');
      expect(byTitle.body.totalItems).toBe(3);
    });

    it('neither lists nor counts the stages of a pipeline the caller cannot see', async () => {
      const res = await asBob('/stages?owner=ml-team');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [],
        totalItems: 0,
        limit: 100,
        offset: 0,
      });
    });
  });

  describe('bad parameters', () => {
    it.each([
      ['/pipelines?limit=0', 'request/query/limit must be >= 1'],
      ['/pipelines?limit=501', 'request/query/limit must be <= 500'],
      ['/pipelines?limit=ten', 'request/query/limit must be integer'],
      ['/ownership/report?offset=-1', 'request/query/offset must be >= 0'],
      [
        '/stages?owner=ml-team&offset=1.5',
        'request/query/offset must be integer',
      ],
      [
        '/pipelines?sort=size',
        'request/query/sort must be equal to one of the allowed values',
      ],
      [
        '/ownership/report?sort=stages',
        'request/query/sort must be equal to one of the allowed values',
      ],
      [
        '/stages?owner=ml-team&sort=name',
        'request/query/sort must be equal to one of the allowed values',
      ],
      [
        `/pipelines?q=${'x'.repeat(201)}`,
        'request/query/q must NOT have more than 200 characters',
      ],
      [
        `/stages?owner=ml-team&q=${'x'.repeat(201)}`,
        'request/query/q must NOT have more than 200 characters',
      ],
    ])('answers 400 naming the parameter for %s', async (path, message) => {
      const res = await request(app).get(path);

      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    });

    it('accepts the largest limit and a q of 200 characters', async () => {
      const res = await request(app).get(
        `/pipelines?limit=500&q=${'x'.repeat(200)}`,
      );

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ items: [], totalItems: 0, limit: 500 });
    });
  });
});
