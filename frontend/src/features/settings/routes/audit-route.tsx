import { useState } from 'react';

import { useAuditActions } from '@/features/settings/api/get-audit-actions';
import { useAuditLog } from '@/features/settings/api/get-audit-log';
import { roleAllows, useActiveMembership } from '@/features/settings/api/get-session';
import { AUDIT_PAGE } from '@/features/settings/api/keys';
import { AuditTable } from '@/features/settings/components/audit-table';
import { RoleNotice } from '@/features/settings/components/role-notice';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

export function AuditRoute() {
  const { role, pending } = useActiveMembership();
  const allowed = !pending && roleAllows(role, 'admin');
  const [action, setAction] = useState('');
  const pages = useKeysetPages();
  const events = useAuditLog({ before: pages.before, action }, { enabled: allowed });
  const actions = useAuditActions({ enabled: allowed });
  const rows = events.data ?? [];
  const lastId = rows[rows.length - 1]?.id;

  if (pending) return <Loading label="Checking your role…" />;
  if (!allowed) return <div className="card"><RoleNotice role={role} needed="admin" what="Reading the audit log" /></div>;
  return (
    <div className="card flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h3 className="font-semibold">Audit log</h3>
        <div className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col gap-1 text-sm">
            Action
            <select className="input w-auto" value={action} onChange={(e) => { setAction(e.target.value); pages.reset(); }}>
              <option value="">All actions</option>
              {(actions.data ?? []).map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
          </label>
          <button type="button" className="btn text-sm" disabled={events.isFetching}
            onClick={() => { pages.reset(); void events.refetch(); void actions.refetch(); }}>
            {events.isFetching ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      <ErrorMessage error={actions.error} />
      {events.isPending && <Loading label="Loading the audit log…" />}
      <ErrorMessage error={events.error} />
      {events.data && (rows.length === 0 ? (
        <EmptyState>
          {action ? `No ${action} events. Pick another action or All actions.` : 'No events yet: sign-ins, key and member changes are recorded here.'}
        </EmptyState>
      ) : <AuditTable events={rows} />)}
      <Pager page={pages.page} hasOlder={rows.length >= AUDIT_PAGE && lastId !== undefined}
        onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Audit log pages" />
    </div>
  );
}
