import { ListOptions, PageInfo } from '@aiplatform/plugin-ai-platform-common';
import { DependencyList, useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { DataTablePaging, ServerSort, pageSizeOptions } from './DataTable';

/** The longest `q` the list routes take. */
const MAX_QUERY_LENGTH = 200;

/**
 * The `limit`, `offset`, `q` and `sort` of the page a server-paged table
 * shows; `q` trimmed (and cut to what the routes take), left out when empty.
 */
export function listOptionsOf<K extends string>(state: {
  page: number;
  pageSize: number;
  query: string;
  sort?: ServerSort<K>;
}): ListOptions<K> {
  const q = state.query.trim().slice(0, MAX_QUERY_LENGTH);
  return {
    limit: state.pageSize,
    offset: state.page * state.pageSize,
    ...(q && { q }),
    ...(state.sort && {
      sort:
        state.sort.direction === 'desc'
          ? (`-${state.sort.key}` as const)
          : state.sort.key,
    }),
  };
}

/** How a server-paged list starts, and when it starts over. */
export interface PagedListOptions {
  /** The first page size; the pager offers it and 20, 50 and 100. */
  pageSize: number;
  /**
   * The list it is (e.g. the owner's ref): when it changes, back to the
   * first page. Other `deps` (a change signal) keep the page.
   */
  list?: string;
}

/**
 * One page of a paginated list route at a time, for a DataTable's `paging`:
 * the page, page size, filter text and sort are kept here and sent as
 * `limit`, `offset`, `q` and `sort`. A new filter, sort, page size or
 * `list` goes back to the first page. While the next page loads, `value` is
 * still the page before (so `loading && !value` is only the first load). It
 * fetches again when `deps` change.
 */
export function usePagedList<T, K extends string>(
  fetchPage: (options: ListOptions<K>) => Promise<PageInfo & { items: T[] }>,
  deps: DependencyList,
  { pageSize: initialPageSize, list }: PagedListOptions,
) {
  // The page is 0 for any other list than the one it was chosen in, from
  // the render the list changes in (no fetch of the old page number).
  const [chosen, setChosen] = useState({ list, page: 0 });
  const page = chosen.list === list ? chosen.page : 0;
  const setPage = (next: number) => setChosen({ list, page: next });
  const [pageSize, setPageSize] = useState(initialPageSize);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<ServerSort<K> | undefined>(undefined);

  const options = listOptionsOf({ page, pageSize, query, sort });
  const { value, loading, error } = useAsync(
    () => fetchPage(options),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [...deps, options.limit, options.offset, options.q, options.sort],
  );

  // A page past the end (rows went away meanwhile): show the last one.
  const totalItems = value?.totalItems ?? 0;
  const lastPage = Math.max(0, Math.ceil(totalItems / pageSize) - 1);
  const pastTheEnd = !!value && !loading && page > lastPage;
  useEffect(() => {
    if (pastTheEnd) setChosen({ list, page: lastPage });
  }, [pastTheEnd, lastPage, list]);

  const paging: DataTablePaging<K> = {
    totalItems,
    page,
    pageSize,
    pageSizeOptions: pageSizeOptions(initialPageSize),
    query,
    sort,
    onPageChange: setPage,
    onPageSizeChange: size => {
      setPageSize(size);
      setPage(0);
    },
    onQueryChange: text => {
      setQuery(text);
      setPage(0);
    },
    onSortChange: next => {
      setSort(next);
      setPage(0);
    },
  };
  return { value, loading, error, paging };
}
