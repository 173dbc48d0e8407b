import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import request from 'supertest';
import { createTestApp } from '../../__testUtils__/createTestApp';
import { signalsFixture } from '../../__testUtils__/signalFixtures';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { toPublicError } from './publicErrors';

describe('toPublicError', () => {
  const logger = mockServices.logger.mock();

  it('passes errors written for the caller', () => {
    const error = new InputError('records[0].id: is required');
    expect(toPublicError(error, logger)).toBe(error);
    const tooLarge = Object.assign(new Error('request entity too large'), {
      statusCode: 413,
    });
    expect(toPublicError(tooLarge, logger)).toBe(tooLarge);
  });

  it('answers a database out of reach with a 503 that names it, without the driver message', () => {
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 10.0.0.7:5432'),
      { code: 'ECONNREFUSED' },
    );
    const error = toPublicError(refused, logger);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      /^The AI Platform database is unavailable \(logId=[0-9a-f]+\)$/,
    );
  });

  it('logs anything else with an id and answers without its message', () => {
    const sql = new Error(
      'insert into "ai_usage_records" ("id") values ($1) - value too long',
    );
    const error = toPublicError(sql, logger);
    expect(error.message).not.toContain('ai_usage_records');
    const logId = /logId=([0-9a-f]+)/.exec(error.message)![1];
    expect(logger.error).toHaveBeenCalledWith(
      `AI Platform request failed (logId=${logId})`,
      sql,
    );
  });
});

describe('a failing database through the router', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'answers 500 on %s without echoing the SQL or the table',
    async databaseId => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const logger = mockServices.logger.mock();
      const { app } = await createTestApp({
        entities: signalsFixture(),
        knex,
        logger,
      });
      // The rollups go missing under the running backend.
      await knex.schema.dropTable('ai_usage_rollups');
      const res = await request(app).get('/spend?groupBy=model');
      expect(res.status).toBe(500);
      const body = JSON.stringify(res.body);
      expect(body).not.toMatch(
        /ai_usage_rollups|select|from "|sqlite|relation/i,
      );
      expect(res.body.error.message).toMatch(/logId=[0-9a-f]+/);
      expect(logger.error).toHaveBeenCalled();
    },
  );
});
