import { ListSpec, listQuery, paginate } from './pagination';

interface Row {
  ref: string;
  title?: string;
  size: number;
}

const SPEC: ListSpec<Row, 'ref' | 'size'> = {
  text: r => [r.ref, r.title],
  keys: { ref: r => r.ref, size: r => r.size },
  defaultSort: 'ref',
  tieBreaker: r => r.ref,
};

const ROWS: Row[] = [
  { ref: 'c', title: 'Gamma', size: 2 },
  { ref: 'a', size: 10 },
  { ref: 'b', title: 'Beta', size: 2 },
  { ref: 'd', title: 'alphabet', size: 1 },
];

const refsOf = (rows: Row[]) => rows.map(r => r.ref);

describe('paginate', () => {
  it('without a query returns every item, sorted by the default key', () => {
    expect(paginate(ROWS, SPEC)).toEqual({
      items: [ROWS[1], ROWS[2], ROWS[0], ROWS[3]],
      totalItems: 4,
      limit: 4,
      offset: 0,
    });
  });

  it('applies the default limit of 100 to a query without one', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({
      ref: `r${String(i).padStart(3, '0')}`,
      size: i,
    }));
    const page = paginate(many, SPEC, {});
    expect(page).toMatchObject({ totalItems: 150, limit: 100, offset: 0 });
    expect(page.items).toHaveLength(100);
    expect(page.items[99].ref).toBe('r099');
  });

  it('cuts the page after filtering and sorting', () => {
    const page = paginate(ROWS, SPEC, { limit: 2, offset: 1, sort: '-size' });
    // sizes 10, 2 (b), 2 (c), 1: ties by ref ascending.
    expect(refsOf(page.items)).toEqual(['b', 'c']);
    expect(page).toMatchObject({ totalItems: 4, limit: 2, offset: 1 });
  });

  it('filters by a case-insensitive substring of any text, and counts the matches', () => {
    const page = paginate(ROWS, SPEC, { q: 'ALPHA', limit: 1 });
    expect(refsOf(page.items)).toEqual(['d']);
    expect(page.totalItems).toBe(1);

    // a matches no title but its ref; undefined titles are skipped.
    expect(refsOf(paginate(ROWS, SPEC, { q: 'a' }).items)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(paginate(ROWS, SPEC, { q: 'zzz' })).toMatchObject({
      items: [],
      totalItems: 0,
    });
  });

  it('ignores a blank q', () => {
    expect(paginate(ROWS, SPEC, { q: '  ' }).totalItems).toBe(4);
  });

  it('sorts ascending and descending, ties by the tie breaker ascending', () => {
    expect(refsOf(paginate(ROWS, SPEC, { sort: 'size' }).items)).toEqual([
      'd',
      'b',
      'c',
      'a',
    ]);
    expect(refsOf(paginate(ROWS, SPEC, { sort: '-ref' }).items)).toEqual([
      'd',
      'c',
      'b',
      'a',
    ]);
  });

  it('answers an empty page past the end, still counting', () => {
    expect(paginate(ROWS, SPEC, { offset: 10 })).toEqual({
      items: [],
      totalItems: 4,
      limit: 100,
      offset: 10,
    });
  });

  it('clamps limit and offset of an internal caller to the bounds', () => {
    expect(paginate(ROWS, SPEC, { limit: 0, offset: -3 })).toMatchObject({
      limit: 1,
      offset: 0,
    });
    expect(paginate(ROWS, SPEC, { limit: 10_000 }).limit).toBe(500);
  });

  it('does not reorder the input', () => {
    const input = [...ROWS];
    paginate(input, SPEC, { sort: '-size' });
    expect(input).toEqual(ROWS);
  });
});

describe('listQuery', () => {
  it('fills in the default page of a request', () => {
    expect(listQuery({})).toEqual({
      limit: 100,
      offset: 0,
      q: undefined,
      sort: undefined,
    });
    expect(listQuery({ limit: 5, offset: 10, q: 'x', sort: '-a' })).toEqual({
      limit: 5,
      offset: 10,
      q: 'x',
      sort: '-a',
    });
  });
});
