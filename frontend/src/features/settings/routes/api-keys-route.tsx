import { useState } from 'react';

import type { CreatedApiKey } from '@/features/settings/api/create-api-key';
import { roleAllows, useActiveMembership } from '@/features/settings/api/get-session';
import { ApiKeyForm } from '@/features/settings/components/api-key-form';
import { ApiKeysTable } from '@/features/settings/components/api-keys-table';
import { KeyReveal } from '@/features/settings/components/key-reveal';
import { RoleNotice } from '@/features/settings/components/role-notice';
import { Loading } from '@/shared/components/loading';

export function ApiKeysRoute() {
  const { role, pending } = useActiveMembership();
  // The full key lives only here, in memory, until the user dismisses it.
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  if (pending) return <Loading label="Checking your role…" />;
  if (!roleAllows(role, 'admin')) {
    return <div className="card"><RoleNotice role={role} needed="admin" what="Managing API keys" /></div>;
  }
  return (
    <div className="flex flex-col gap-3">
      <div className="card flex flex-col gap-3">
        <h3 className="font-semibold">New API key</h3>
        {created ? <KeyReveal created={created} onDone={() => setCreated(null)} /> : <ApiKeyForm onCreated={setCreated} />}
      </div>
      <div className="card flex flex-col gap-2">
        <h3 className="font-semibold">API keys</h3>
        <ApiKeysTable />
      </div>
    </div>
  );
}
