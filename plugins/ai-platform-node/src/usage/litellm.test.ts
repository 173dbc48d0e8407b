import {
  LiteLLMSpendLog,
  fromLiteLLMSpendLog,
  parseLiteLLMBody,
} from './litellm';

/** A row as `GET /spend/logs/v2` serves it. */
function row(overrides: Partial<LiteLLMSpendLog> = {}): LiteLLMSpendLog {
  return {
    request_id: 'chatcmpl-123',
    call_type: 'acompletion',
    api_key: '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b',
    spend: 0.00075,
    total_tokens: 450,
    prompt_tokens: 300,
    completion_tokens: 150,
    startTime: '2025-01-15 10:00:00',
    endTime: '2025-01-15 10:00:01',
    request_duration_ms: 1200,
    model: 'gpt-4o-mini-2024-07-18',
    model_group: 'gpt-4o-mini',
    custom_llm_provider: 'openai',
    user: '',
    metadata: {
      user_api_key_alias: 'answers-prod',
      user_api_key_team_id: 'team-uuid',
      user_api_key_team_alias: 'ml-team',
    },
    cache_hit: 'False',
    request_tags: [],
    team_id: 'ml-team',
    end_user: '',
    status: 'success',
    ...overrides,
  };
}

describe('fromLiteLLMSpendLog', () => {
  it('maps the SpendLogs columns', () => {
    expect(fromLiteLLMSpendLog(row())).toEqual({
      id: 'chatcmpl-123',
      timestamp: '2025-01-15T10:00:00.000Z',
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 300,
      outputTokens: 150,
      costUsd: 0.00075,
      durationMs: 1200,
      team: 'ml-team',
      status: 'success',
      keyAlias: 'answers-prod',
    });
  });

  it('reads startTime as ISO, with or without an offset, as UTC', () => {
    expect(
      fromLiteLLMSpendLog(row({ startTime: '2025-01-15T10:00:00.123456' }))
        .timestamp,
    ).toBe('2025-01-15T10:00:00.123Z');
    expect(
      fromLiteLLMSpendLog(row({ startTime: '2025-01-15T12:00:00+02:00' }))
        .timestamp,
    ).toBe('2025-01-15T10:00:00.000Z');
  });

  it('falls back to model when there is no model group', () => {
    expect(fromLiteLLMSpendLog(row({ model_group: null })).model).toBe(
      'gpt-4o-mini-2024-07-18',
    );
    expect(fromLiteLLMSpendLog(row({ model_group: '' })).model).toBe(
      'gpt-4o-mini-2024-07-18',
    );
  });

  it('computes the duration from start and end when LiteLLM has no request_duration_ms', () => {
    expect(
      fromLiteLLMSpendLog(row({ request_duration_ms: undefined })).durationMs,
    ).toBe(1000);
  });

  it('reads null token counts as 0 (the column default)', () => {
    expect(
      fromLiteLLMSpendLog(
        row({ prompt_tokens: null, completion_tokens: undefined, spend: null }),
      ),
    ).toMatchObject({ inputTokens: 0, outputTokens: 0 });
  });

  it('refuses too many or too long tags with the row and column named, never cuts them', () => {
    const many = Array.from({ length: 100 }, (_, i) => `tag-${i}`);
    expect(fromLiteLLMSpendLog(row({ request_tags: many })).tags).toHaveLength(
      100,
    );
    expect(parseLiteLLMBody([row(), row({ request_tags: many })])).toEqual({
      issues: [
        { field: '[1].request_tags', message: 'must have at most 64 tags' },
      ],
    });
    expect(
      parseLiteLLMBody([row({ request_tags: ['x'.repeat(256)] })]),
    ).toEqual({
      issues: [
        {
          field: '[0].request_tags[0]',
          message: 'must be at most 255 characters',
        },
      ],
    });
  });

  it.each([
    ['prompt_tokens', 'many', 'must be a finite number'],
    ['completion_tokens', { n: 1 }, 'must be a finite number'],
    ['prompt_tokens', '1e999', 'must be a finite number'],
    ['prompt_tokens', 2 ** 53, 'must be at most 1000000000'],
    ['prompt_tokens', -1, 'must not be negative'],
    ['spend', 'free', 'must be a finite number'],
    ['spend', 1e7, 'must be at most 1000000'],
    ['request_duration_ms', 'slow', 'must be a finite number'],
    ['request_id', 'a\u0000b', 'must not contain control characters'],
    ['model_group', 'm'.repeat(256), 'must be at most 255 characters'],
  ])(
    'refuses %s %j with the row index and column',
    (column, value, message) => {
      const result = parseLiteLLMBody([row(), row(), row({ [column]: value })]);
      expect(result).toEqual({
        issues: [
          { field: `[2].${column}`, message: expect.stringContaining(message) },
        ],
      });
    },
  );

  it('refuses a row older than the window or in the future, with its index', () => {
    const ts = Date.parse('2025-01-15T10:00:00Z');
    const window = { from: ts + 1, to: ts + 60_000 };
    expect(parseLiteLLMBody({ data: [row()] }, { window })).toEqual({
      issues: [
        {
          field: 'data[0].startTime',
          message: expect.stringContaining('older than raw usage retention'),
        },
      ],
    });
    expect(
      parseLiteLLMBody([row()], { window: { from: 0, to: ts - 1 } }),
    ).toEqual({
      issues: [
        {
          field: '[0].startTime',
          message: expect.stringContaining('in the future'),
        },
      ],
    });
  });

  it('takes the team from metadata when team_id is empty', () => {
    expect(fromLiteLLMSpendLog(row({ team_id: '' })).team).toBe('team-uuid');
  });

  describe('entity resolution', () => {
    it('takes a backstage: request tag first', () => {
      const mapped = fromLiteLLMSpendLog(
        row({
          request_tags: [
            'User-Agent: OpenAI/Python 1.51.0',
            'backstage:component:default/answers',
          ],
          api_key_alias: 'component:default/other',
          metadata: { backstage_entity: 'component:default/third' },
        }),
      );
      expect(mapped.entityRef).toBe('component:default/answers');
      // LiteLLM's own User-Agent tag is noise.
      expect(mapped.tags).toEqual(['backstage:component:default/answers']);
      expect(mapped.keyAlias).toBe('component:default/other');
    });

    it('reads request_tags and metadata as JSON strings', () => {
      const mapped = fromLiteLLMSpendLog(
        row({
          request_tags: '["team-x", "backstage:Component:default/Answers"]',
          metadata: '{"user_api_key_alias": "answers-key"}',
        }),
      );
      expect(mapped.entityRef).toBe('component:default/answers');
      expect(mapped.tags).toEqual([
        'team-x',
        'backstage:Component:default/Answers',
      ]);
      expect(mapped.keyAlias).toBe('answers-key');
    });

    it('then a key alias that is an entity ref', () => {
      expect(
        fromLiteLLMSpendLog(
          row({
            metadata: {
              user_api_key_alias: 'component:default/answers',
              backstage_entity: 'component:default/other',
            },
          }),
        ).entityRef,
      ).toBe('component:default/answers');
      expect(
        fromLiteLLMSpendLog(row({ api_key_alias: 'component:answers' }))
          .entityRef,
      ).toBe('component:default/answers');
    });

    it('then metadata.backstage_entity, also under spend_logs_metadata', () => {
      expect(
        fromLiteLLMSpendLog(row({ metadata: { backstage_entity: 'answers' } }))
          .entityRef,
      ).toBe('component:default/answers');
      expect(
        fromLiteLLMSpendLog(
          row({
            metadata: {
              user_api_key_alias: 'answers-prod',
              spend_logs_metadata: {
                backstage_entity: 'resource:default/vector-db',
              },
            },
          }),
        ).entityRef,
      ).toBe('resource:default/vector-db');
    });

    it('then a backstage: tag in metadata.tags', () => {
      const mapped = fromLiteLLMSpendLog(
        row({
          metadata: { tags: ['backstage:component:default/answers', 'x'] },
        }),
      );
      expect(mapped.entityRef).toBe('component:default/answers');
      expect(mapped.tags).toEqual(['backstage:component:default/answers', 'x']);
    });

    it('ignores a key alias and metadata that name no entity', () => {
      const mapped = fromLiteLLMSpendLog(
        row({
          metadata: {
            user_api_key_alias: 'prod-key',
            backstage_entity: 'not a ref!',
          },
        }),
      );
      expect(mapped.entityRef).toBeUndefined();
      expect(mapped.keyAlias).toBe('prod-key');
    });

    it('ignores metadata that is not JSON', () => {
      expect(
        fromLiteLLMSpendLog(row({ metadata: '{oops' })).keyAlias,
      ).toBeUndefined();
    });
  });

  describe('cost', () => {
    it('drops a spend of 0 for tokens (LiteLLM did not know the price)', () => {
      expect(fromLiteLLMSpendLog(row({ spend: 0 })).costUsd).toBeUndefined();
    });

    it('keeps a real 0: a cache hit, or no tokens', () => {
      expect(
        fromLiteLLMSpendLog(row({ spend: 0, cache_hit: 'True' })).costUsd,
      ).toBe(0);
      expect(
        fromLiteLLMSpendLog(
          row({
            spend: 0,
            prompt_tokens: 0,
            completion_tokens: 0,
            status: 'failure',
          }),
        ).costUsd,
      ).toBe(0);
    });

    it('reads a decimal string', () => {
      expect(
        fromLiteLLMSpendLog(row({ spend: '0.5' as unknown as number })).costUsd,
      ).toBe(0.5);
    });
  });
});

describe('parseLiteLLMBody', () => {
  it('reads a bare array', () => {
    const result = parseLiteLLMBody([row(), row({ request_id: 'b' })]);
    expect('records' in result && result.records.map(r => r.id)).toEqual([
      'chatcmpl-123',
      'b',
    ]);
  });

  it('reads a /spend/logs/v2 page', () => {
    const result = parseLiteLLMBody({
      data: [row()],
      total: 1,
      page: 1,
      page_size: 50,
      total_pages: 1,
    });
    expect('records' in result && result.records).toHaveLength(1);
  });

  it('accepts an empty page', () => {
    expect(parseLiteLLMBody({ data: [], total: 0 })).toEqual({ records: [] });
  });

  it('names the LiteLLM column of each problem', () => {
    const result = parseLiteLLMBody({
      data: [
        row(),
        row({ request_id: null, prompt_tokens: -4 }),
        row({ startTime: 'soon', model_group: null, model: null }),
        42,
      ],
    });
    expect(result).toEqual({
      issues: [
        { field: 'data[1].request_id', message: 'is required' },
        { field: 'data[1].prompt_tokens', message: 'must not be negative' },
        {
          field: 'data[2].startTime',
          message: expect.stringContaining('ISO 8601'),
        },
        { field: 'data[2].model_group', message: 'is required' },
        { field: 'data[3]', message: 'must be an object' },
      ],
    });
  });

  it('names rows of a bare array by index', () => {
    expect(parseLiteLLMBody([row({ completion_tokens: 1.5 })])).toEqual({
      issues: [
        {
          field: '[0].completion_tokens',
          message: 'must be a whole number of tokens',
        },
      ],
    });
  });

  it.each([undefined, null, 'rows', { rows: [] }])('rejects %p', body => {
    const result = parseLiteLLMBody(body);
    expect('issues' in result && result.issues[0].field).toBe('(body)');
  });
});
