import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { useMe } from '../../auth/api/get-me.ts';

/** Admin pages: reached by URL, a non-admin is told why instead of seeing a page of 403s. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.isPending) return <PageSkeleton />;
  if (me.data?.user.role !== 'admin') {
    return <Alert color="yellow" title="Admins only" data-testid="permission-notice">Only admins manage users, teams, API clients, secrets and the audit log.</Alert>;
  }
  return <>{children}</>;
}
