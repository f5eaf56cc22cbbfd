import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';

import { useMe } from '@/features/auth/api/get-me';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';

export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading label="Checking your session…" />;
  if (me.error) return <ErrorMessage error={me.error} />;
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}
