import { INVITATIONS_PAGE } from '@/features/settings/api/keys';
import { usePendingInvitations } from '@/features/settings/api/get-invitations';
import { useRevokeInvitation } from '@/features/settings/api/revoke-invitation';
import { ConfirmButton } from '@/features/settings/components/confirm-button';
import { formatTime, isPast } from '@/features/settings/components/format';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

/** Invitations not accepted yet (expired ones marked), newest first, each revocable (owner). */
export function InvitationsTable() {
  const pages = useKeysetPages();
  const invitations = usePendingInvitations(pages.before);
  const revoke = useRevokeInvitation();
  const rows = invitations.data ?? [];
  const lastId = rows[rows.length - 1]?.id;

  if (invitations.isPending) return <Loading label="Loading invitations…" />;
  if (invitations.error) return <ErrorMessage error={invitations.error} />;

  return (
    <div className="flex flex-col gap-2">
      <ErrorMessage error={revoke.error} />
      {rows.length === 0 ? (
        <EmptyState>No pending invitations. Invite someone by email above; they appear here until they accept.</EmptyState>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="table-basic w-full text-sm" aria-label="Pending invitations">
            <thead><tr><th>Email</th><th>Role</th><th className="hidden sm:table-cell">Sent</th><th>Expires</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {rows.map((invitation) => {
                const expired = isPast(invitation.expires_at);
                return (
                  <tr key={invitation.id}>
                    <td className="[overflow-wrap:anywhere]">{invitation.email}</td>
                    <td>{invitation.role}</td>
                    <td className="hidden text-muted sm:table-cell">{formatTime(invitation.created_at)}</td>
                    <td>{expired ? <span className="badge badge-fail">expired</span> : formatTime(invitation.expires_at)}</td>
                    <td className="text-right">
                      <ConfirmButton label="Revoke" question={`Revoke the invitation to ${invitation.email}?`}
                        confirmLabel="Yes, revoke" pending={revoke.isPending && revoke.variables === invitation.id}
                        onConfirm={() => revoke.mutate(invitation.id)} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={pages.page} hasOlder={rows.length >= INVITATIONS_PAGE && lastId !== undefined}
        onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Invitation pages" />
    </div>
  );
}
