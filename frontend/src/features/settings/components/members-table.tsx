import { type Member, useMembers } from '@/features/settings/api/get-members';
import type { Role } from '@/features/settings/api/get-session';
import { useRemoveMember } from '@/features/settings/api/remove-member';
import { useUpdateMemberRole } from '@/features/settings/api/update-member';
import { ConfirmButton } from '@/features/settings/components/confirm-button';
import { formatTime } from '@/features/settings/components/format';
import { ROLES } from '@/features/settings/components/roles';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';

/** The tenant's members; owners change roles and remove people, everyone else reads. */
export function MembersTable({ canManage, myEmail }: { canManage: boolean; myEmail: string | undefined }) {
  const members = useMembers();
  const update = useUpdateMemberRole();
  const remove = useRemoveMember();

  if (members.isPending) return <Loading label="Loading members…" />;
  if (members.error) return <ErrorMessage error={members.error} />;
  if (members.data.length === 0) return <EmptyState>No members yet: invite someone below.</EmptyState>;

  const owners = members.data.filter((m) => m.role === 'owner').length;
  return (
    <div className="flex flex-col gap-2">
      <ErrorMessage error={update.error ?? remove.error} />
      <div className="relative overflow-x-auto">
        <table className="table-basic w-full text-sm" aria-label="Members">
          <thead>
            <tr><th>Member</th><th>Role</th><th className="hidden sm:table-cell">Joined</th></tr>
          </thead>
          <tbody>
            {members.data.map((member: Member) => {
              const label = member.full_name ? `${member.full_name} (${member.email})` : member.email;
              const busy = (update.isPending && update.variables?.id === member.id)
                || (remove.isPending && remove.variables === member.id);
              // The API refuses to leave a tenant without an owner (last_owner).
              const lastOwner = member.role === 'owner' && owners === 1;
              return (
                <tr key={member.id}>
                  <td className="break-words">
                    <div className="font-medium">{member.full_name || member.email}</div>
                    {member.full_name && <div className="text-xs text-muted">{member.email}</div>}
                    {member.email === myEmail && <span className="text-xs text-muted">(you)</span>}
                  </td>
                  <td>
                    {canManage ? (
                      <div className="flex flex-wrap items-center gap-2">
                        <select className="input w-auto" aria-label={`Role of ${member.email}`} value={member.role}
                          disabled={busy || lastOwner} title={lastOwner ? 'A tenant needs at least one owner' : undefined}
                          onChange={(e) => update.mutate({ id: member.id, role: e.target.value as Role })}>
                          {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
                        </select>
                        <ConfirmButton label="Remove" question={`Remove ${label} from this tenant?`}
                          confirmLabel="Yes, remove" pending={busy} disabled={lastOwner}
                          onConfirm={() => remove.mutate(member.id)} />
                        {lastOwner && <span className="text-xs text-muted">the only owner</span>}
                      </div>
                    ) : (
                      <span>{member.role}</span>
                    )}
                  </td>
                  <td className="hidden text-muted sm:table-cell">{formatTime(member.created_at)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
