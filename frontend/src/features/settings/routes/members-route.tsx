import { roleAllows, useActiveMembership } from '@/features/settings/api/get-session';
import { InvitationsTable } from '@/features/settings/components/invitations-table';
import { InviteForm } from '@/features/settings/components/invite-form';
import { MembersTable } from '@/features/settings/components/members-table';
import { RoleNotice } from '@/features/settings/components/role-notice';
import { TenantNameForm } from '@/features/settings/components/tenant-name-form';
import { Loading } from '@/shared/components/loading';

export function MembersRoute() {
  const { me, membership, role, pending } = useActiveMembership();
  const isOwner = roleAllows(role, 'owner');
  return (
    <div className="flex flex-col gap-3">
      {isOwner && membership && (
        <div className="card">
          {/* Keyed by tenant: switching tenants starts from that tenant's name. */}
          <TenantNameForm key={membership.tenant_id} tenantId={membership.tenant_id} name={membership.tenant_name} />
        </div>
      )}
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
