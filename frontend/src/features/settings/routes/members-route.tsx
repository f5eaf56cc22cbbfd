import { roleAllows, useActiveMembership } from '@/features/settings/api/get-session';
import { InvitationsTable } from '@/features/settings/components/invitations-table';
import { InviteForm } from '@/features/settings/components/invite-form';
import { MembersTable } from '@/features/settings/components/members-table';
import { RoleNotice } from '@/features/settings/components/role-notice';
import { Loading } from '@/shared/components/loading';

export function MembersRoute() {
  const { me, role, pending } = useActiveMembership();
  const isOwner = roleAllows(role, 'owner');
  return (
    <div className="flex flex-col gap-3">
      <div className="card flex flex-col gap-2">
        <h3 className="font-semibold">Members and roles</h3>
        <MembersTable canManage={isOwner} myEmail={me?.email} />
      </div>
      <div className="card flex flex-col gap-3">
        <h3 className="font-semibold">Invitations</h3>
        {pending ? <Loading label="Checking your role…" /> : isOwner ? (
          <>
            <InviteForm />
            <h4 className="text-sm font-semibold">Pending</h4>
            <InvitationsTable />
          </>
        ) : (
          <RoleNotice role={role} needed="owner" what="Inviting people" />
        )}
      </div>
    </div>
  );
}
