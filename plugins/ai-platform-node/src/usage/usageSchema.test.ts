import {
  formatUsageIssues,
  parseUsageNdjson,
  validateUsageBatch,
  validateUsageRecords,
} from './usageSchema';

const valid = {
  id: 'req-1',
  timestamp: '2025-01-15T10:00:00Z',
  entityRef: 'component:default/answers',
  team: 'ml-team',
  model: 'gpt-4o',
  provider: 'openai',
  inputTokens: 1200,
  outputTokens: 300,
  costUsd: 0.006,
  durationMs: 850,
  status: 'success',
  keyAlias: 'answers-prod',
  tags: ['backstage:component:default/answers'],
};

function issuesOf(input: unknown[]) {
  const result = validateUsageRecords(input);
  if (!('issues' in result)) throw new Error('expected issues');
  return result.issues;
}

describe('validateUsageRecords', () => {
  it('accepts a full record', () => {
    expect(validateUsageRecords([valid])).toEqual({ records: [valid] });
  });

  it('accepts a minimal record, with epoch ms, nulls read as absent', () => {
    const result = validateUsageRecords([
      {
        id: ' a ',
        timestamp: Date.UTC(2025, 0, 1),
        model: 'm',
        inputTokens: 0,
        outputTokens: 0,
        team: null,
        costUsd: null,
        entityRef: null,
      },
    ]);
    expect(result).toEqual({
      records: [
        {
          id: 'a',
          timestamp: Date.UTC(2025, 0, 1),
          model: 'm',
          inputTokens: 0,
          outputTokens: 0,
        },
      ],
    });
  });

  it('accepts a numeric status and makes it a string', () => {
    const result = validateUsageRecords([{ ...valid, status: 429 }]);
    expect('records' in result && result.records[0].status).toBe('429');
  });

  it('drops unknown fields', () => {
    const result = validateUsageRecords([{ ...valid, secret: 'x' }]);
    expect('records' in result && result.records[0]).toEqual(valid);
  });

  it('names the field of each problem', () => {
    const issues = issuesOf([
      valid,
      valid,
      valid,
      { ...valid, inputTokens: -1 },
    ]);
    expect(issues).toEqual([
      { field: 'records[3].inputTokens', message: 'must not be negative' },
    ]);
  });

  it.each([
    ['id', { id: undefined }, 'is required'],
    ['id', { id: '  ' }, 'must not be empty'],
    ['model', { model: undefined }, 'is required'],
    ['model', { model: 42 }, 'must be a string'],
    ['inputTokens', { inputTokens: undefined }, 'is required'],
    ['inputTokens', { inputTokens: '12' }, 'must be a finite number'],
    ['inputTokens', { inputTokens: 1.5 }, 'must be a whole number of tokens'],
    ['outputTokens', { outputTokens: -3 }, 'must not be negative'],
    ['outputTokens', { outputTokens: Infinity }, 'must be a finite number'],
    ['outputTokens', { outputTokens: NaN }, 'must be a finite number'],
    ['costUsd', { costUsd: -0.01 }, 'must not be negative'],
    ['costUsd', { costUsd: Infinity }, 'must be a finite number'],
    ['durationMs', { durationMs: -5 }, 'must not be negative'],
    ['timestamp', { timestamp: undefined }, 'is required'],
    ['timestamp', { timestamp: 'last tuesday' }, 'must be an ISO 8601'],
    ['timestamp', { timestamp: '2025-02-30T00:00:00Z' }, 'must be an ISO 8601'],
    ['timestamp', { timestamp: 1736937005 }, 'from 2000 on'],
    ['timestamp', { timestamp: true }, 'must be an ISO 8601'],
    ['entityRef', { entityRef: 'not a ref!' }, 'must be an entity ref'],
    ['tags', { tags: 'a,b' }, 'must be an array of strings'],
    // Bounds: per record, so that no sum can overflow; text fits its column.
    ['inputTokens', { inputTokens: 2 ** 53 }, 'must be at most 1000000000'],
    ['outputTokens', { outputTokens: 1e9 + 1 }, 'must be at most 1000000000'],
    ['costUsd', { costUsd: 1e6 + 0.01 }, 'must be at most 1000000'],
    ['costUsd', { costUsd: Number.MAX_VALUE }, 'must be at most 1000000'],
    ['durationMs', { durationMs: 2 ** 31 }, 'must be at most 2147483647'],
    ['id', { id: 'i'.repeat(256) }, 'must be at most 255 characters'],
    ['id', { id: 'req\u0000-1' }, 'must not contain control characters'],
    ['id', { id: 'req\n---' }, 'must not contain control characters'],
    ['model', { model: 'gpt\u001b[31m' }, 'must not contain control'],
    ['model', { model: 'm'.repeat(256) }, 'must be at most 255 characters'],
    ['model', { model: 'bad\ud800' }, 'unpaired surrogate'],
    ['team', { team: 't\u0085' }, 'must not contain control characters'],
    ['provider', { provider: 'p'.repeat(129) }, 'at most 128 characters'],
    ['status', { status: 's'.repeat(33) }, 'at most 32 characters'],
    ['keyAlias', { keyAlias: 'k'.repeat(256) }, 'at most 255 characters'],
    ['tags', { tags: Array(65).fill('t') }, 'must have at most 64 tags'],
    [
      'tags',
      {
        tags: Array.from(
          { length: 8 },
          (_, i) => `backstage:component:default/${'c'.repeat(200)}-${i}`,
        ),
      },
      'more than 1024 characters',
    ],
  ])('rejects a bad %s (%p)', (field, patch, message) => {
    const issues = issuesOf([{ ...valid, ...patch }]);
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe(`records[0].${field}`);
    expect(issues[0].message).toContain(message);
  });

  it('counts characters, not UTF-16 units, against a column', () => {
    const emoji = '\u{1F600}'.repeat(255); // 510 UTF-16 units, 255 characters
    expect(validateUsageRecords([{ ...valid, model: emoji }])).toHaveProperty(
      'records',
    );
    expect(issuesOf([{ ...valid, model: `${emoji}x` }])[0].message).toBe(
      'must be at most 255 characters',
    );
  });

  describe('with a time window (raw retention to a little clock skew ahead)', () => {
    const ts = Date.parse(valid.timestamp);
    it('accepts a record inside it', () => {
      expect(
        validateUsageRecords([valid], { window: { from: ts, to: ts } }),
      ).toHaveProperty('records');
    });
    it('refuses a record older than retention, since a replay could not be recognised', () => {
      const result = validateUsageRecords([valid, valid], {
        window: { from: ts + 1, to: ts + 10 },
      });
      expect(result).toEqual({
        issues: [0, 1].map(i => ({
          field: `records[${i}].timestamp`,
          message: expect.stringContaining('older than raw usage retention'),
        })),
      });
    });
    it('refuses a record from the future', () => {
      expect(
        validateUsageRecords([valid], {
          window: { from: 0, to: ts - 1 },
        }),
      ).toEqual({
        issues: [
          {
            field: 'records[0].timestamp',
            message: expect.stringContaining('is in the future'),
          },
        ],
      });
    });
    it('applies to NDJSON and JSON batches alike', () => {
      const window = { from: ts + 1, to: ts + 10 };
      expect(
        parseUsageNdjson(`${JSON.stringify(valid)}\n`, { window }),
      ).toHaveProperty('issues');
      expect(
        validateUsageBatch({ records: [valid] }, { window }),
      ).toHaveProperty('issues');
    });
  });

  it('names array elements inside a record', () => {
    expect(issuesOf([{ ...valid, tags: ['ok', 7] }])[0].field).toBe(
      'records[0].tags[1]',
    );
  });

  it('reports every problem of every record at once', () => {
    const issues = issuesOf([
      { ...valid, id: undefined, model: '' },
      'nope',
      { ...valid, outputTokens: -1 },
    ]);
    expect(issues.map(i => i.field)).toEqual([
      'records[0].id',
      'records[0].model',
      'records[1]',
      'records[2].outputTokens',
    ]);
  });
});

describe('validateUsageBatch', () => {
  it('reads { records }', () => {
    expect(validateUsageBatch({ records: [valid] })).toEqual({
      records: [valid],
    });
  });

  it.each([undefined, null, [], { records: 'x' }, { items: [] }])(
    'rejects %p',
    body => {
      expect(validateUsageBatch(body)).toEqual({
        issues: [{ field: 'records', message: 'must be an array of records' }],
      });
    },
  );
});

describe('parseUsageNdjson', () => {
  it('reads one record per line, skipping blank lines', () => {
    const body = `${JSON.stringify(valid)}\r\n\n${JSON.stringify({
      ...valid,
      id: 'req-2',
    })}\n`;
    const result = parseUsageNdjson(body);
    expect('records' in result && result.records.map(r => r.id)).toEqual([
      'req-1',
      'req-2',
    ]);
  });

  it('names a line that is not JSON and still checks the others', () => {
    const body = [
      JSON.stringify(valid),
      '',
      '{"id": ',
      JSON.stringify({ ...valid, inputTokens: -1 }),
    ].join('\n');
    expect(parseUsageNdjson(body)).toEqual({
      issues: [
        { field: 'records[1]', message: 'line 3 is not valid JSON' },
        { field: 'records[2].inputTokens', message: 'must not be negative' },
      ],
    });
  });
});

describe('formatUsageIssues', () => {
  it('joins issues', () => {
    expect(
      formatUsageIssues([
        { field: 'records[0].id', message: 'is required' },
        { field: 'records[1].model', message: 'is required' },
      ]),
    ).toBe('records[0].id: is required; records[1].model: is required');
  });
});
