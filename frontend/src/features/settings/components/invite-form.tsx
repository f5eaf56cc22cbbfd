import { type FormEvent, useState } from 'react';

import { useCreateInvitation } from '@/features/settings/api/create-invitation';
import type { Role } from '@/features/settings/api/get-session';
import { ROLE_HELP, ROLES } from '@/features/settings/components/roles';
import { ErrorMessage } from '@/shared/components/error-message';

/** Invite by email (owner): the API emails a link to /invitations/accept. */
export function InviteForm() {
  const create = useCreateInvitation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('trader');

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ email, role }, { onSuccess: () => setEmail('') });
  }

  return (
    <form onSubmit={submit} aria-label="Invite a member" className="flex flex-col gap-2 text-sm">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-[14rem] flex-1 flex-col gap-1">
          Email
          <input className="input" type="email" required value={email} autoComplete="off"
            onChange={(e) => setEmail(e.target.value)} placeholder="name@example.com" />
        </label>
        <label className="flex flex-col gap-1">
          Role
          <select className="input w-auto" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Sending…' : 'Send invitation'}
        </button>
      </div>
      <p className="text-xs text-muted">A {role} can do {ROLE_HELP[role]}.</p>
      <ErrorMessage error={create.error} />
      {create.isSuccess && (
        <p role="status" className="text-up">
          Invitation sent to {create.data.email}. They get an email with a link to accept it; it expires{' '}
          {new Date(create.data.expires_at).toLocaleString()}.
        </p>
      )}
    </form>
  );
}
