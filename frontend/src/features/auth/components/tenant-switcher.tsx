import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { defaultTenantOf, meQueryKey, useMe } from '@/features/auth/api/get-me';
import { setActiveTenant, useActiveTenant } from '@/shared/tenant/tenant-store';

/** Picks the tenant sent as X-Tenant. Switching drops cached data, which belongs to the old tenant. */
export function TenantSwitcher() {
  const { data: me } = useMe();
  const active = useActiveTenant();
  const queryClient = useQueryClient();

  const isMember = me?.memberships.some((m) => String(m.tenant_id) === active) ?? false;
  useEffect(() => {
    if (me && !isMember) setActiveTenant(defaultTenantOf(me));
  }, [me, isMember]);

  if (!me || me.memberships.length === 0) return null;

  function switchTo(tenant: string) {
    setActiveTenant(tenant);
    void queryClient.resetQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
  }

  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-muted">Tenant</span>
      <select className="input w-auto" value={active ?? ''} onChange={(e) => switchTo(e.target.value)}
        aria-label="Active tenant">
        {me.memberships.map((m) => (
          <option key={m.tenant_id} value={String(m.tenant_id)}>
            {m.tenant_name} ({m.role})
          </option>
        ))}
      </select>
    </label>
  );
}
