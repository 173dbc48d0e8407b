import { useAppLocation, useAppNavigate } from '@backstage/frontend-plugin-api';
import { useCallback, useEffect, useMemo } from 'react';
import { SpendView, formatSpendView, parseSpendView } from './spendView';

/**
 * The view of the spend page, kept in the query string of the page's URL
 * on both frontend systems: a shared link opens the same view, and every
 * change the user makes is a history entry, so the back button walks back
 * through drill-downs and range changes. A query string that is not the
 * canonical one of its view (an invalid value, another encoding) is
 * replaced by it, without a history entry.
 */
export function useSpendView(): [SpendView, (next: SpendView) => void] {
  const { pathname, search } = useAppLocation();
  const navigate = useAppNavigate();
  const view = useMemo(() => parseSpendView(search), [search]);
  const canonical = formatSpendView(view);
  const current = search === '?' ? '' : search;

  useEffect(() => {
    if (current !== canonical) {
      navigate(`${pathname}${canonical}`, { replace: true });
    }
  }, [current, canonical, pathname, navigate]);

  const setView = useCallback(
    (next: SpendView) => {
      const query = formatSpendView(next);
      if (query !== canonical) navigate(`${pathname}${query}`);
    },
    [canonical, pathname, navigate],
  );
  return [view, setView];
}
