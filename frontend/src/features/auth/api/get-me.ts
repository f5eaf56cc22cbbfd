import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import { ApiError } from '@/shared/api/http';
import type { Schema } from '@/shared/api/types';

export type Me = Schema<'MeOut'>;

export const meQueryKey = ['me'] as const;

/** GET /api/v1/me. Resolves to null when signed out (401/403) rather than erroring. */
export async function getMe({ signal }: { signal?: AbortSignal } = {}): Promise<Me | null> {
  try {
    return await unwrap(apiClient.GET('/api/v1/me', { signal }));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
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
