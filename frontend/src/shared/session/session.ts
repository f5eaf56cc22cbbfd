import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Me = Schema<'MeOut'>;

/** The one cache entry for who is signed in; sign-in, sign-up and sign-out write or reset it. */
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

/** The session for any screen that needs to know who is signed in (and their memberships). */
export function useSession() {
  return useQuery(meQueryOptions());
}
