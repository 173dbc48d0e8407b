import { validateUsageRecords } from '@aiplatform/plugin-ai-platform-node';
import { plainUsageRecord, validateUsageRecordFast } from './fastUsageRecord';

const NOW = Date.parse('2025-09-15T00:00:00Z');
const WINDOW = { from: NOW - 90 * 86_400_000, to: NOW + 300_000 };

const good = {
  id: 'r-1',
  timestamp: '2025-09-01T10:00:00Z',
  entityRef: 'component:default/answers',
  model: 'gpt-4o',
  provider: 'openai',
  inputTokens: 10,
  outputTokens: 5,
  costUsd: 0.25,
  durationMs: 812.5,
  status: 'success',
};

const longRefTags = Array.from(
  { length: 30 },
  (_, i) => `backstage:component:default/${'n'.repeat(40)}-${i}`,
);

/** Records the hand-written path must decide as the schema does. */
const CASES: Array<[string, unknown]> = [
  ['a plain record', good],
  [
    'the fewest fields',
    {
      id: 'a',
      timestamp: NOW - 1000,
      model: 'm',
      inputTokens: 0,
      outputTokens: 0,
    },
  ],
  [
    'nulls for absent fields',
    {
      ...good,
      team: null,
      costUsd: null,
      tags: null,
      status: null,
      entityRef: null,
    },
  ],
  [
    'padded text',
    { ...good, id: '  padded ', model: '\tgpt-4o ', tags: [' a ', 'b'] },
  ],
  ['unknown fields', { ...good, extra: { nested: true }, __proto__x: 1 }],
  ['a numeric status', { ...good, status: 429 }],
  ['a status over 999', { ...good, status: 1000 }],
  ['a fractional status', { ...good, status: 4.5 }],
  ['a status of 33 characters', { ...good, status: 's'.repeat(33) }],
  ['a bare name as entity ref', { ...good, entityRef: 'answers' }],
  ['a malformed entity ref', { ...good, entityRef: 'component:default/' }],
  ['an entity ref that is a number', { ...good, entityRef: 7 }],
  [
    'a key alias that is a ref',
    { ...good, keyAlias: 'component:default/answers' },
  ],
  [
    'tags naming entities',
    { ...good, tags: ['backstage:component:default/answers', 'x'] },
  ],
  [
    'tags whose refs total over 1024 characters',
    { ...good, tags: longRefTags },
  ],
  ['65 tags', { ...good, tags: Array.from({ length: 65 }, (_, i) => `t${i}`) }],
  ['a tag that is not text', { ...good, tags: ['ok', 3] }],
  ['tags that are not an array', { ...good, tags: 'a,b' }],
  ['an empty tag', { ...good, tags: [' '] }],
  ['a missing id', { ...good, id: undefined }],
  ['an empty id', { ...good, id: '   ' }],
  ['an id of 255 characters', { ...good, id: 'i'.repeat(255) }],
  ['an id of 256 characters', { ...good, id: 'i'.repeat(256) }],
  [
    '255 astral characters (510 UTF-16 units)',
    { ...good, team: '🚀'.repeat(255) },
  ],
  ['256 astral characters', { ...good, team: '🚀'.repeat(256) }],
  ['a newline in text', { ...good, model: 'gpt\n4o' }],
  ['a NUL in text', { ...good, keyAlias: 'a\u0000b' }],
  ['a C1 control', { ...good, team: 'a\u0085b' }],
  ['a lone surrogate', { ...good, team: 'a\uD800b' }],
  ['a paired surrogate', { ...good, team: 'a\uD83D\uDE80b' }],
  ['a number for text', { ...good, model: 4 }],
  ['negative tokens', { ...good, inputTokens: -5 }],
  ['fractional tokens', { ...good, outputTokens: 1.5 }],
  ['tokens over the bound', { ...good, inputTokens: 1_000_000_001 }],
  ['tokens as text', { ...good, inputTokens: '10' }],
  ['infinite tokens', { ...good, inputTokens: Infinity }],
  ['NaN cost', { ...good, costUsd: NaN }],
  ['a negative cost', { ...good, costUsd: -1 }],
  ['a cost over the bound', { ...good, costUsd: 1_000_001 }],
  ['a duration over the column', { ...good, durationMs: 3e9 }],
  ['epoch milliseconds', { ...good, timestamp: NOW - 60_000 }],
  ['epoch seconds', { ...good, timestamp: 1_757_000_000 }],
  [
    'a timestamp with a space and microseconds',
    { ...good, timestamp: '2025-09-01 10:00:00.123456' },
  ],
  ['a timestamp of yesterday', { ...good, timestamp: 'yesterday' }],
  [
    'a timestamp of 31 February',
    { ...good, timestamp: '2025-02-31T00:00:00Z' },
  ],
  ['a timestamp that is an object', { ...good, timestamp: {} }],
  ['a missing timestamp', { ...good, timestamp: undefined }],
  [
    'a timestamp before retention',
    { ...good, timestamp: '2025-01-01T00:00:00Z' },
  ],
  ['a timestamp in the future', { ...good, timestamp: '2025-09-15T01:00:00Z' }],
  [
    'many problems at once',
    {
      id: '',
      model: null,
      inputTokens: -1,
      outputTokens: 'x',
      costUsd: -2,
      status: [],
    },
  ],
  ['an array', [good]],
  ['a string', 'nope'],
  ['null', null],
  ['a number', 42],
];

/*
 * validateUsageRecords is the zod schema (usageRecordInputSchema) plus the
 * record checks, as the JSON path runs them: the streaming path must say
 * exactly what it says.
 */
describe('validateUsageRecordFast', () => {
  it.each(CASES)(
    'decides %s exactly as the schema does (issues and record)',
    (_, value) => {
      for (const index of [0, 7, 12_345]) {
        const fast = validateUsageRecordFast(value, index, WINDOW);
        const full = validateUsageRecords([value], { window: WINDOW });
        const expected =
          'records' in full
            ? { record: full.records[0] }
            : {
                issues: full.issues.map(i => ({
                  ...i,
                  field: i.field.replace(/^records\[0\]/, `records[${index}]`),
                })),
              };
        expect(fast).toEqual(expected);
      }
    },
  );

  it('takes the hand-written path only for what the schema accepts', () => {
    const plain = CASES.map(([name, value]) => [
      name,
      plainUsageRecord(value, WINDOW),
    ]).filter(([, record]) => record !== undefined);
    expect(plain.length).toBeGreaterThan(10);
    for (const [name, record] of plain) {
      const value = CASES.find(([n]) => n === name)![1];
      expect(validateUsageRecords([value], { window: WINDOW })).toEqual({
        records: [record],
      });
    }
  });

  it('takes the hand-written path for the common records', () => {
    for (const value of [
      good,
      { ...good, status: 200, tags: ['a'], keyAlias: 'k', team: 't' },
      { ...good, timestamp: NOW - 1000 },
    ]) {
      expect(plainUsageRecord(value, WINDOW)).toBeDefined();
    }
  });
});
