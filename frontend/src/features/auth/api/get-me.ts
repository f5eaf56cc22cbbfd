import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Me = Schema<'MeOut'>;

export const meQueryKey = ['me'] as const;

/**
 * GET /api/v1/auth/session: the signed-in user, or null when signed out. That endpoint answers
 * 200 either way, so a signed-out page load logs no failed request.
 */
export async function getMe({ signal }: { signal?: AbortSignal } = {}): Promise<Me | null> {
  const session = await unwrap(apiClient.GET('/api/v1/auth/session', { signal }));
  return session.authenticated ? (session.me ?? null) : null;
}

export const meQueryOptions = () =>
  queryOptions({ queryKey: meQueryKey, queryFn: ({ signal }) => getMe({ signal }), staleTime: 60_000 });

export function useMe() {
  return useQuery(meQueryOptions());
}

/** The tenant to act for after sign-in: the session's active one, else the first membership. */
export function defaultTenantOf(me: Me): string | null {
  if (me.active_tenant_id !== null) return String(me.active_tenant_id);
  const first = me.memberships[0];
  return first ? String(first.tenant_id) : null;
}
