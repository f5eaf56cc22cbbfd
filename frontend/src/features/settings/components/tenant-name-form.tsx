import { type FormEvent, useState } from 'react';

import { useRenameTenant } from '@/features/settings/api/rename-tenant';
import { ErrorMessage } from '@/shared/components/error-message';

/** The tenant's display name (owner). */
export function TenantNameForm({ tenantId, name }: { tenantId: number; name: string }) {
  const rename = useRenameTenant();
  const [draft, setDraft] = useState(name);

  function submit(event: FormEvent) {
    event.preventDefault();
    rename.mutate({ id: tenantId, name: draft.trim() });
  }

  const unchanged = draft.trim() === name || draft.trim() === '';
  return (
    <form onSubmit={submit} aria-label="Tenant name" className="flex flex-col gap-2 text-sm">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-[12rem] flex-1 flex-col gap-1">
          Tenant name
          <input className="input" required maxLength={120} value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit" className="btn" disabled={rename.isPending || unchanged}>
          {rename.isPending ? 'Saving…' : 'Rename'}
        </button>
      </div>
      <ErrorMessage error={rename.error} />
      {rename.isSuccess && unchanged && <p role="status" className="text-up">Renamed to {rename.data.name}.</p>}
    </form>
  );
}
