import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';

import { AcceptInvitationRoute } from '@/features/invitations/routes/accept-invitation-route';
import { getActiveTenant, setActiveTenant } from '@/shared/tenant/tenant-store';
import { demoMe, renderWithProviders, sessionOf, sessionOut, stubApi } from '@/testing/test-utils';

const preview = {
  tenant_id: 12,
  tenant_name: 'Gamma Fund',
  email: 'demo@example.com',
  role: 'trader',
  expires_at: '2099-12-01T10:00:00Z',
};

function renderAt(route: string) {
  return renderWithProviders(
    <Routes>
      <Route path="/invitations/accept" element={<AcceptInvitationRoute />} />
      <Route path="/markets" element={<p>Markets screen</p>} />
    </Routes>,
    { route },
  );
}

describe('Accepting an invitation', () => {
  afterEach(() => setActiveTenant(null));

  it('says so when the link has no token', async () => {
    stubApi({ 'GET /api/v1/auth/session': sessionOut });
    renderAt('/invitations/accept');
    expect(await screen.findByRole('alert')).toHaveTextContent('This link has no invitation token.');
  });

  it('shows the API message for an invalid token', async () => {
    stubApi({
      'GET /api/v1/auth/session': sessionOut,
      'GET /api/v1/invitations/accept': {
        status: 404,
        body: { error: { code: 'invitation_invalid', message: 'This invitation is not valid.' } },
      },
    });
    renderAt('/invitations/accept?token=stale');
    expect(await screen.findByRole('alert')).toHaveTextContent('This invitation is not valid.');
  });

  it('signed out: shows tenant and role, and links to sign in or sign up with a way back', async () => {
    const fetchMock = stubApi({ 'GET /api/v1/auth/session': sessionOut, 'GET /api/v1/invitations/accept': { body: preview } });
    renderAt('/invitations/accept?token=tok-123');
    expect(await screen.findByText(/You are invited to join/)).toHaveTextContent('You are invited to join Gamma Fund as trader.');
    const back = encodeURIComponent('/invitations/accept?token=tok-123');
    expect(screen.getByRole('link', { name: 'Sign in to accept' })).toHaveAttribute('href', `/login?next=${back}`);
    expect(screen.getByRole('link', { name: 'Create an account' })).toHaveAttribute('href', `/signup?next=${back}`);
    const asked = fetchMock.mock.calls.map(([r]) => new URL((r as Request).url)).find((u) => u.pathname === '/api/v1/invitations/accept')!;
    expect(asked.searchParams.get('token')).toBe('tok-123');
  });

  it('signed in as the invitee: accepts, then opens the new tenant', async () => {
    let joined = false;
    const withGamma = {
      ...demoMe,
      memberships: [...demoMe.memberships, { tenant_id: 12, tenant_name: 'Gamma Fund', tenant_slug: 'gamma', tier: 'free', role: 'trader' }],
    };
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': () => sessionOf(joined ? withGamma : demoMe),
      'GET /api/v1/invitations/accept': { body: preview },
      'POST /api/v1/invitations/accept': () => {
        joined = true;
        return { status: 201, body: { id: 5, email: 'demo@example.com', full_name: 'Demo User', role: 'trader', created_at: '2026-11-21T10:00:00Z' } };
      },
    });
    renderAt('/invitations/accept?token=tok-123');
    fireEvent.click(await screen.findByRole('button', { name: 'Join Gamma Fund' }));
    expect(await screen.findByRole('status')).toHaveTextContent('You joined Gamma Fund as trader.');
    const post = fetchMock.mock.calls.map(([r]) => r as Request).find((r) => r.method === 'POST')!;
    expect(await post.json()).toEqual({ token: 'tok-123' });

    fireEvent.click(screen.getByRole('button', { name: 'Open Gamma Fund' }));
    expect(await screen.findByText('Markets screen')).toBeInTheDocument();
    expect(getActiveTenant()).toBe('12');
  });

  it('signed in as someone else: explains instead of offering to accept', async () => {
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/invitations/accept': { body: { ...preview, email: 'ana@example.com' } },
    });
    renderAt('/invitations/accept?token=tok-123');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You are signed in as demo@example.com, but this invitation is for ana@example.com.',
    );
    expect(screen.queryByRole('button', { name: /Join/ })).not.toBeInTheDocument();
  });

  it('shows the API message when accepting fails', async () => {
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/invitations/accept': { body: preview },
      'POST /api/v1/invitations/accept': {
        status: 404,
        body: { error: { code: 'invitation_invalid', message: 'This invitation is not valid.' } },
      },
    });
    renderAt('/invitations/accept?token=tok-123');
    fireEvent.click(await screen.findByRole('button', { name: 'Join Gamma Fund' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('This invitation is not valid.'));
  });
});
