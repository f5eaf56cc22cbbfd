import type { Schema } from '@/shared/api/types';
import { useSession } from '@/shared/session/session';
import { useActiveTenant } from '@/shared/tenant/tenant-store';

export { type Me, useSession } from '@/shared/session/session';

export type Role = Schema<'RoleEnum'>;

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
