import { type Me, useSession } from '@/shared/session/session';

export { type Me, getMe, meQueryKey, meQueryOptions } from '@/shared/session/session';

export function useMe() {
  return useSession();
}

/** The tenant to act for after sign-in: the session's active one, else the first membership. */
export function defaultTenantOf(me: Me): string | null {
  if (me.active_tenant_id !== null) return String(me.active_tenant_id);
  const first = me.memberships[0];
  return first ? String(first.tenant_id) : null;
}
