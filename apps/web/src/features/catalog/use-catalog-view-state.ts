import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { parseViewState, serializeViewState, type CatalogViewState } from './view-state.ts';

/** The table's view state, read from and written to the URL's query string. */
export function useCatalogViewState(): [CatalogViewState, (next: CatalogViewState, opts?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useMemo(() => parseViewState(params), [key]);
  const set = useCallback(
    (next: CatalogViewState, opts?: { replace?: boolean }) => setParams(serializeViewState(next), { replace: opts?.replace ?? false }),
    [setParams],
  );
  return [state, set];
}
