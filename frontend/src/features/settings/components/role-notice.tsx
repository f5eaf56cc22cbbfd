import type { Role } from '@/features/settings/api/get-session';

/** Said instead of a screen the user's role cannot use (the API would answer 403). */
export function RoleNotice({ role, needed, what }: { role: string | undefined; needed: Role; what: string }) {
  return (
    <p className="rounded border border-dashed border-border p-4 text-sm text-muted" role="note">
      {what} needs the {needed} role{needed === 'owner' ? '' : ' or higher'}; you are {role ? `a ${role}` : 'not a member'} in
      this tenant. Ask an owner of the tenant to change your role.
    </p>
  );
}
