import { listOptionsOf } from './usePagedList';

describe('listOptionsOf', () => {
  it('asks for the page shown, with q trimmed and left out when empty', () => {
    expect(listOptionsOf({ page: 0, pageSize: 20, query: '  ' })).toEqual({
      limit: 20,
      offset: 0,
    });
    expect(
      listOptionsOf({
        page: 3,
        pageSize: 50,
        query: ' RAG ',
        sort: { key: 'errors', direction: 'desc' },
      }),
    ).toEqual({ limit: 50, offset: 150, q: 'RAG', sort: '-errors' });
    expect(
      listOptionsOf({
        page: 1,
        pageSize: 10,
        query: '',
        sort: { key: 'stage', direction: 'asc' },
      }),
    ).toEqual({ limit: 10, offset: 10, sort: 'stage' });
  });

  it('cuts q to the 200 characters the routes take', () => {
    expect(
      listOptionsOf({ page: 0, pageSize: 20, query: 'a'.repeat(250) }).q,
    ).toBe('a'.repeat(200));
  });
});
