import { Center } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ErrorState } from '../../../components/error-pages.tsx';
import { isApiError, setUnauthorizedHandler } from '../../../lib/api-client.ts';
import { useMe } from '../api/get-me.ts';

/** Renders its children for a signed-in person; otherwise sends them to sign in and back. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const here = location.pathname + location.search;

  useEffect(() => {
    setUnauthorizedHandler(() => {
      qc.removeQueries({ queryKey: ['auth', 'me'] });
      navigate(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`, { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, qc]);

  // While the session check is in flight the app renders and starts its own requests (a signed-in
  // person, the usual case, does not wait for one more round trip); a 401 anywhere sends them to sign in.
  if (me.isError) {
    if (isApiError(me.error, 401) || isApiError(me.error, 403)) return <Navigate to={`/sign-in?next=${encodeURIComponent(here)}`} replace />;
    return (
      <Center mih="100vh" p="xl">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    );
  }
  return <>{children}</>;
}
