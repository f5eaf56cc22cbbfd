import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';
import { useActiveTenant } from '@/shared/tenant/tenant-store';

export type Me = Schema<'MeOut'>;
export type Role = Schema<'RoleEnum'>;

/** GET /api/v1/auth/session under the app-wide ['me'] key (the auth feature's cache entry). */
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

const RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2, owner: 3 };

/** Whether `role` is at least `needed` (the backend's role ladder). */
export function roleAllows(role: string | undefined, needed: Role): boolean {
  return role !== undefined && role in RANK && RANK[role as Role] >= RANK[needed];
}

/** The signed-in user's membership in the active tenant (X-Tenant), with its role. */
export function useActiveMembership() {
  const session = useSession();
  const active = useActiveTenant();
  const me = session.data ?? null;
  const membership =
    me?.memberships.find((m) => String(m.tenant_id) === active) ??
    me?.memberships.find((m) => m.tenant_id === me.active_tenant_id) ??
    null;
  return { session, me, membership, role: membership?.role, pending: session.isPending };
}
