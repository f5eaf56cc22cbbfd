import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { MembersRoute } from '@/features/settings/routes/members-route';
import { setActiveTenant } from '@/shared/tenant/tenant-store';
import { demoMe, renderWithProviders, sessionOf, stubApi } from '@/testing/test-utils';

const members = [
  { id: 1, email: 'demo@example.com', full_name: 'Demo User', role: 'owner', created_at: '2026-11-01T10:00:00Z' },
  { id: 2, email: 'ana@example.com', full_name: '', role: 'trader', created_at: '2026-11-02T10:00:00Z' },
];

function calls(fetchMock: ReturnType<typeof stubApi>, method: string, path: string): Request[] {
  return fetchMock.mock.calls
    .map(([input]) => input as Request)
    .filter((r) => r.method === method && new URL(r.url).pathname === path);
}

describe('Members and invitations', () => {
  beforeEach(() => setActiveTenant('7'));
  afterEach(() => setActiveTenant(null));

  it('invites by email and role, then lists the invitation as pending', async () => {
    let pending: unknown[] = [];
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/members': { body: members },
      'GET /api/v1/invitations': () => ({ body: pending }),
      'POST /api/v1/invitations': () => {
        const invitation = { id: 9, email: 'bo@example.com', role: 'viewer', created_at: '2026-11-21T10:00:00Z', expires_at: '2099-11-28T10:00:00Z', accepted_at: null };
        pending = [invitation];
        return { status: 201, body: invitation };
      },
    });
    renderWithProviders(<MembersRoute />);

    expect(await screen.findByText(/No pending invitations/)).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Invite a member' });
    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: 'bo@example.com' } });
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'viewer' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));

    expect(await within(form).findByRole('status')).toHaveTextContent('Invitation sent to bo@example.com');
    const [post] = calls(fetchMock, 'POST', '/api/v1/invitations');
    expect(await post!.json()).toEqual({ email: 'bo@example.com', role: 'viewer' });
    const table = await screen.findByRole('table', { name: 'Pending invitations' });
    expect(within(table).getByText('bo@example.com')).toBeInTheDocument();
    // The list asks for pending invitations only, one page at a time.
    const query = new URL(calls(fetchMock, 'GET', '/api/v1/invitations').at(-1)!.url).searchParams;
    expect(query.get('status')).toBe('pending');
    expect(query.get('limit')).toBe('20');
  });

  it('shows the API message when an invitation is refused', async () => {
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/members': { body: members },
      'GET /api/v1/invitations': { body: [] },
      'POST /api/v1/invitations': {
        status: 409,
        body: { error: { code: 'already_member', message: 'ana@example.com is already a member.' } },
      },
    });
    renderWithProviders(<MembersRoute />);
    const form = await screen.findByRole('form', { name: 'Invite a member' });
    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: 'ana@example.com' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('ana@example.com is already a member.');
  });

  it('owners change roles and remove members after confirming', async () => {
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/members': { body: members },
      'GET /api/v1/invitations': { body: [] },
      'PATCH /api/v1/members/2': { body: { ...members[1], role: 'admin' } },
      'DELETE /api/v1/members/2': { status: 200, body: null },
    });
    renderWithProviders(<MembersRoute />);
    fireEvent.change(await screen.findByLabelText('Role of ana@example.com'), { target: { value: 'admin' } });
    await waitFor(() => expect(calls(fetchMock, 'PATCH', '/api/v1/members/2')).toHaveLength(1));
    expect(await calls(fetchMock, 'PATCH', '/api/v1/members/2')[0]!.json()).toEqual({ role: 'admin' });

    const row = screen.getByText('ana@example.com').closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Remove' }));
    expect(within(row).getByText('Remove ana@example.com from this tenant?')).toBeInTheDocument();
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, remove' }));
    await waitFor(() => expect(calls(fetchMock, 'DELETE', '/api/v1/members/2')).toHaveLength(1));
  });

  it('non-owners read the member list without management controls', async () => {
    const trader = { ...demoMe, memberships: [{ ...demoMe.memberships[0]!, role: 'trader' }] };
    const fetchMock = stubApi({ 'GET /api/v1/auth/session': sessionOf(trader), 'GET /api/v1/members': { body: members } });
    renderWithProviders(<MembersRoute />);
    expect(await screen.findByText('ana@example.com')).toBeInTheDocument();
    expect(screen.queryByLabelText('Role of ana@example.com')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove' })).not.toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Invite a member' })).not.toBeInTheDocument();
    expect(screen.getByRole('note')).toHaveTextContent('Inviting people needs the owner role');
    expect(calls(fetchMock, 'GET', '/api/v1/invitations')).toHaveLength(0);
  });
});

describe('The last owner', () => {
  beforeEach(() => setActiveTenant('7'));
  afterEach(() => setActiveTenant(null));

  it('cannot be demoted or removed from the screen (the API would refuse: last_owner)', async () => {
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/members': { body: members },
      'GET /api/v1/invitations': { body: [] },
    });
    renderWithProviders(<MembersRoute />);
    expect(await screen.findByLabelText('Role of demo@example.com')).toBeDisabled();
    const row = screen.getByText('Demo User').closest('tr')!;
    expect(within(row).getByRole('button', { name: 'Remove' })).toBeDisabled();
    expect(within(row).getByText('the only owner')).toBeInTheDocument();
    expect(screen.getByLabelText('Role of ana@example.com')).toBeEnabled();
  });
});

describe('Tenant name', () => {
  beforeEach(() => setActiveTenant('7'));
  afterEach(() => setActiveTenant(null));

  it('owners rename the tenant', async () => {
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/members': { body: members },
      'GET /api/v1/invitations': { body: [] },
      'PATCH /api/v1/tenants/7': { body: { id: 7, name: 'Demo Capital II', slug: 'demo-capital', tier: 'pro', role: 'owner', created_at: '2026-11-01T00:00:00Z' } },
    });
    renderWithProviders(<MembersRoute />);
    const form = await screen.findByRole('form', { name: 'Tenant name' });
    const input = within(form).getByLabelText('Tenant name');
    expect(input).toHaveValue('Demo Capital');
    expect(within(form).getByRole('button', { name: 'Rename' })).toBeDisabled();
    fireEvent.change(input, { target: { value: 'Demo Capital II' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(calls(fetchMock, 'PATCH', '/api/v1/tenants/7')).toHaveLength(1));
    expect(await calls(fetchMock, 'PATCH', '/api/v1/tenants/7')[0]!.json()).toEqual({ name: 'Demo Capital II' });
  });
});
