import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Me = Schema<'MeOut'>;

/** GET /api/v1/auth/session under the app-wide ['me'] key: the signed-in user, or null. */
export function useSession() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async ({ signal }): Promise<Me | null> => {
      const session = await unwrap(apiClient.GET('/api/v1/auth/session', { signal }));
      return session.authenticated ? (session.me ?? null) : null;
    },
    staleTime: 60_000,
  });
}
