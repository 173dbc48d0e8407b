import { MAX_SPEND_PATH, formatSpendView, parseSpendView } from './spendView';

const ML = 'group:default/ml-team';
const SEARCH = 'group:default/ml-search';
const RANKER = 'component:default/ranker';

describe('parseSpendView', () => {
  it('is this month, all teams, without a query', () => {
    expect(parseSpendView('')).toEqual({ range: 'month', path: [] });
    expect(parseSpendView('?')).toEqual({ range: 'month', path: [] });
  });

  it.each(['month', '30d', '90d'] as const)('reads the range %s', range => {
    expect(parseSpendView(`?range=${range}`)).toEqual({ range, path: [] });
  });

  it('reads the team, the teams above it (top first) and its service', () => {
    expect(
      parseSpendView(`?range=30d&team=${SEARCH}&path=${ML}&service=${RANKER}`),
    ).toEqual({
      range: '30d',
      path: [
        { kind: 'team', ref: ML },
        { kind: 'team', ref: SEARCH },
        { kind: 'service', ref: RANKER, team: SEARCH },
      ],
    });
  });

  it('reads percent-encoded values and parameters in any order', () => {
    const search = new URLSearchParams([
      ['service', RANKER],
      ['path', 'group:default/acme'],
      ['team', SEARCH],
      ['path', ML],
    ]).toString();
    expect(search).toContain('group%3Adefault%2Fml-search');
    expect(parseSpendView(search).path).toEqual([
      { kind: 'team', ref: 'group:default/acme' },
      { kind: 'team', ref: ML },
      { kind: 'team', ref: SEARCH },
      { kind: 'service', ref: RANKER, team: SEARCH },
    ]);
  });

  it.each([
    ['an unknown range', '?range=7d', 'month'],
    ['an empty range', '?range=', 'month'],
    ['a range in another case', '?range=90D', 'month'],
  ])('falls back to this month for %s', (_what, search, range) => {
    expect(parseSpendView(search).range).toBe(range);
  });

  it.each([
    ['no team', `?path=${ML}&service=${RANKER}`],
    ['an empty team', `?team=&path=${ML}`],
    ['a team that is no ref', '?team=ml-team'],
    ['a team that is not a Group', `?team=user:default/jane&service=${RANKER}`],
    ['the no-team key', '?team=(none)'],
    ['markup as a team', '?team=%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
    ['an over-long team', `?team=group:default/${'a'.repeat(300)}`],
  ])('shows all teams for %s, ignoring path and service', (_what, search) => {
    expect(parseSpendView(`${search}&range=90d`)).toEqual({
      range: '90d',
      path: [],
    });
  });

  it('drops a path with an entry that is not a Group ref, and keeps the team', () => {
    expect(parseSpendView(`?team=${SEARCH}&path=${ML}&path=oops`).path).toEqual(
      [{ kind: 'team', ref: SEARCH }],
    );
    expect(
      parseSpendView(`?team=${SEARCH}&path=component:default/x`).path,
    ).toEqual([{ kind: 'team', ref: SEARCH }]);
  });

  it(`drops a path of more than ${MAX_SPEND_PATH} teams`, () => {
    const above = (n: number) =>
      Array.from({ length: n }, (_, i) => `&path=group:default/t${i}`).join('');
    expect(
      parseSpendView(`?team=${ML}${above(MAX_SPEND_PATH)}`).path,
    ).toHaveLength(MAX_SPEND_PATH + 1);
    expect(
      parseSpendView(`?team=${ML}${above(MAX_SPEND_PATH + 1)}`).path,
    ).toEqual([{ kind: 'team', ref: ML }]);
  });

  it('drops a service that is not an entity ref, and keeps the team', () => {
    for (const service of ['', 'ranker', '(none)', 'a:b:c/d/e']) {
      expect(
        parseSpendView(`?team=${ML}&service=${encodeURIComponent(service)}`)
          .path,
      ).toEqual([{ kind: 'team', ref: ML }]);
    }
  });

  it('takes the first of repeated range, team and service values', () => {
    expect(
      parseSpendView(
        `?range=90d&range=30d&team=${ML}&team=${SEARCH}&service=${RANKER}&service=component:default/x`,
      ),
    ).toEqual({
      range: '90d',
      path: [
        { kind: 'team', ref: ML },
        { kind: 'service', ref: RANKER, team: ML },
      ],
    });
  });
});

describe('formatSpendView', () => {
  it('is empty for the default view', () => {
    expect(formatSpendView({ range: 'month', path: [] })).toBe('');
  });

  it('writes the range unless it is the default, then team, service and path, refs readable', () => {
    expect(formatSpendView({ range: '30d', path: [] })).toBe('?range=30d');
    expect(
      formatSpendView({
        range: '90d',
        path: [
          { kind: 'team', ref: ML },
          { kind: 'team', ref: SEARCH },
          { kind: 'service', ref: RANKER, team: SEARCH },
        ],
      }),
    ).toBe(`?range=90d&team=${SEARCH}&service=${RANKER}&path=${ML}`);
    expect(
      formatSpendView({ range: 'month', path: [{ kind: 'team', ref: ML }] }),
    ).toBe(`?team=${ML}`);
  });

  it('encodes what a query value cannot hold', () => {
    const query = formatSpendView({
      range: 'month',
      path: [{ kind: 'team', ref: 'group:default/a&b=c#d e+f' }],
    });
    expect(query).toBe('?team=group:default/a%26b%3Dc%23d%20e%2Bf');
    expect(new URLSearchParams(query).get('team')).toBe(
      'group:default/a&b=c#d e+f',
    );
  });

  it('is read back as the same view', () => {
    const views = [
      { range: 'month' as const, path: [] },
      {
        range: '30d' as const,
        path: [
          { kind: 'team' as const, ref: ML },
          { kind: 'team' as const, ref: SEARCH },
        ],
      },
      {
        range: '90d' as const,
        path: [
          { kind: 'team' as const, ref: ML },
          { kind: 'service' as const, ref: RANKER, team: ML },
        ],
      },
    ];
    for (const view of views) {
      expect(parseSpendView(formatSpendView(view))).toEqual(view);
    }
  });
});
