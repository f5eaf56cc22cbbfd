import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';

import { useAcceptInvitation } from '@/features/invitations/api/accept-invitation';
import { type InvitationPreview, useInvitationPreview } from '@/features/invitations/api/get-invitation-preview';
import { type Me, useSession } from '@/shared/session/session';
import { ErrorMessage } from '@/shared/components/error-message';
import { Loading } from '@/shared/components/loading';
import { setActiveTenant } from '@/shared/tenant/tenant-store';

function Frame({ children }: { children: React.ReactNode }) {
  return (
    <div className="py-8">
      <section className="card mx-auto flex max-w-md flex-col gap-3 text-sm" aria-label="Invitation">
        <h2 className="text-lg font-semibold">Invitation</h2>
        {children}
      </section>
    </div>
  );
}

function Summary({ invitation }: { invitation: InvitationPreview }) {
  return (
    <>
      <p className="text-base">
        You are invited to join <strong>{invitation.tenant_name}</strong> as <strong>{invitation.role}</strong>.
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <dt className="text-muted">For</dt><dd className="break-all">{invitation.email}</dd>
        <dt className="text-muted">Expires</dt><dd>{new Date(invitation.expires_at).toLocaleString()}</dd>
      </dl>
    </>
  );
}

function SignedOut({ invitation, returnTo }: { invitation: InvitationPreview; returnTo: string }) {
  const next = encodeURIComponent(returnTo);
  return (
    <>
      <p>
        Sign in as <strong className="break-all">{invitation.email}</strong> to accept it, or create an account with that
        email first. You come back here afterwards.
      </p>
      <div className="flex flex-wrap gap-2">
        <Link className="btn-primary" to={`/login?next=${next}`}>Sign in to accept</Link>
        <Link className="btn" to={`/signup?next=${next}`}>Create an account</Link>
      </div>
    </>
  );
}

function SignedIn({ invitation, me, token }: { invitation: InvitationPreview; me: Me; token: string }) {
  const accept = useAcceptInvitation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const alreadyMember = me.memberships.some((m) => m.tenant_id === invitation.tenant_id);
  const otherEmail = me.email.toLowerCase() !== invitation.email.toLowerCase();

  function openTenant() {
    setActiveTenant(String(invitation.tenant_id));
    // Cached data belongs to the tenant acted for until now.
    void queryClient.resetQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    navigate('/markets');
  }

  if (accept.isSuccess) {
    return (
      <div className="flex flex-col gap-2" role="status">
        <p className="text-up">You joined {invitation.tenant_name} as {accept.data.role}.</p>
        <div><button type="button" className="btn-primary" onClick={openTenant}>Open {invitation.tenant_name}</button></div>
      </div>
    );
  }
  if (alreadyMember) {
    return (
      <div className="flex flex-col gap-2">
        <p>You are already a member of {invitation.tenant_name}.</p>
        <div><button type="button" className="btn" onClick={openTenant}>Open {invitation.tenant_name}</button></div>
      </div>
    );
  }
  if (otherEmail) {
    return (
      <p role="alert" className="rounded border border-down bg-[var(--fail-bg)] px-3 py-2 text-down">
        You are signed in as {me.email}, but this invitation is for {invitation.email}. Sign out, then sign in (or sign
        up) as {invitation.email} and open the link again.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <p className="text-muted">Signed in as {me.email}.</p>
      <ErrorMessage error={accept.error} />
      <div>
        <button type="button" className="btn-primary" disabled={accept.isPending} onClick={() => accept.mutate(token)}>
          {accept.isPending ? 'Accepting…' : `Join ${invitation.tenant_name}`}
        </button>
      </div>
    </div>
  );
}

/** /invitations/accept?token=…: what the invitation is for, then accept (signed in) or sign in / sign up and return. */
export function AcceptInvitationRoute() {
  const [params] = useSearchParams();
  const location = useLocation();
  const token = params.get('token')?.trim() ?? '';
  const preview = useInvitationPreview(token);
  const session = useSession();

  if (!token) {
    return (
      <Frame>
        <p role="alert" className="text-down">This link has no invitation token.</p>
        <p className="text-muted">Open the link from your invitation email exactly as it was sent, or ask the person who
          invited you to send a new invitation.</p>
      </Frame>
    );
  }
  if (preview.isPending || session.isPending) return <Frame><Loading label="Checking the invitation…" /></Frame>;
  if (preview.error) {
    return (
      <Frame>
        <ErrorMessage error={preview.error} />
        <p className="text-muted">It may have expired, been revoked or been accepted already. Ask the person who invited
          you to send a new invitation.</p>
      </Frame>
    );
  }
  return (
    <Frame>
      <Summary invitation={preview.data} />
      <ErrorMessage error={session.error} />
      {session.data
        ? <SignedIn invitation={preview.data} me={session.data} token={token} />
        : <SignedOut invitation={preview.data} returnTo={location.pathname + location.search} />}
    </Frame>
  );
}
