import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { ApiKeysRoute } from '@/features/settings/routes/api-keys-route';
import { setActiveTenant } from '@/shared/tenant/tenant-store';
import { demoMe, renderWithProviders, sessionOf, stubApi } from '@/testing/test-utils';

const FULL_KEY = 'qt_live_abcdefghijkl_' + 'S'.repeat(43);

const stored = {
  id: 41,
  name: 'bot',
  prefix: 'qt_live_abcdefghijkl',
  scopes: ['read', 'trade'],
  created_at: '2026-11-21T10:00:00Z',
  expires_at: null,
  revoked_at: null,
  last_used_at: null,
  last_used_ip: null,
};

function requestsOf(fetchMock: ReturnType<typeof stubApi>, method: string, path: string): Request[] {
  return fetchMock.mock.calls
    .map(([input]) => input as Request)
    .filter((r) => r.method === method && new URL(r.url).pathname === path);
}

describe('API keys', () => {
  beforeEach(() => setActiveTenant('7'));
  afterEach(() => setActiveTenant(null));

  it('creates a key with the chosen scopes, reveals the full key once, then forgets it', async () => {
    let keys: unknown[] = [];
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/api-keys': () => ({ body: keys }),
      'POST /api/v1/api-keys': () => {
        keys = [stored];
        return { status: 201, body: { ...stored, key: FULL_KEY } };
      },
      'GET /api/v1/audit-log': { body: [] },
      'GET /api/v1/audit-log/actions': { body: [] },
    });
    renderWithProviders(<ApiKeysRoute />);

    expect(await screen.findByText(/No API keys yet/)).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Create API key' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'bot' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: /^trade/ }));
    fireEvent.click(within(form).getByRole('button', { name: 'Create key' }));

    const reveal = await screen.findByRole('region', { name: 'New API key' });
    expect(within(reveal).getByLabelText('Full API key')).toHaveValue(FULL_KEY);
    expect(within(reveal).getByRole('alert')).toHaveTextContent('shown only this once');
    const [post] = requestsOf(fetchMock, 'POST', '/api/v1/api-keys');
    expect(await post!.json()).toEqual({ name: 'bot', scopes: ['read', 'trade'], expires_at: null });

    // The list (refetched after the create) shows the prefix, never the secret.
    const table = await screen.findByRole('table', { name: 'API keys' });
    expect(within(table).getByText('qt_live_abcdefghijkl')).toBeInTheDocument();
    expect(within(table).queryByText(FULL_KEY)).not.toBeInTheDocument();

    fireEvent.click(within(reveal).getByRole('button', { name: 'I have stored the key' }));
    expect(screen.queryByRole('region', { name: 'New API key' })).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(FULL_KEY);
    expect(screen.getByRole('form', { name: 'Create API key' })).toBeInTheDocument();
  });

  it('copies the key to the clipboard', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/api-keys': { body: [] },
      'POST /api/v1/api-keys': { status: 201, body: { ...stored, key: FULL_KEY } },
      'GET /api/v1/audit-log': { body: [] },
      'GET /api/v1/audit-log/actions': { body: [] },
    });
    renderWithProviders(<ApiKeysRoute />);
    const form = await screen.findByRole('form', { name: 'Create API key' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'bot' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create key' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Copy key' }));
    expect(await screen.findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith(FULL_KEY);
  });

  it('revokes a key only after confirming, and shows the API error message', async () => {
    let revoked = false;
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/api-keys': () => ({ body: [{ ...stored, revoked_at: revoked ? '2026-11-21T11:00:00Z' : null }] }),
      'DELETE /api/v1/api-keys/41': () => {
        revoked = true;
        // The API answers 204; stubApi always sends a JSON body, which a 204 Response cannot carry.
        return { status: 200, body: null };
      },
      'GET /api/v1/audit-log': { body: [] },
      'GET /api/v1/audit-log/actions': { body: [] },
    });
    renderWithProviders(<ApiKeysRoute />);
    const row = (await screen.findByText('bot')).closest('tr')!;
    expect(within(row).getByText('active')).toBeInTheDocument();

    fireEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    expect(requestsOf(fetchMock, 'DELETE', '/api/v1/api-keys/41')).toHaveLength(0);
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, revoke' }));

    await waitFor(() => expect(within(screen.getByText('bot').closest('tr')!).getByText('revoked')).toBeInTheDocument());
    expect(requestsOf(fetchMock, 'DELETE', '/api/v1/api-keys/41')).toHaveLength(1);
    expect(within(screen.getByText('bot').closest('tr')!).queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();
  });

  it('shows the message of a refused revoke', async () => {
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/api-keys': { body: [stored] },
      'DELETE /api/v1/api-keys/41': {
        status: 403,
        body: { error: { code: 'role_required', message: 'This action needs the admin role.' } },
      },
    });
    renderWithProviders(<ApiKeysRoute />);
    const row = (await screen.findByText('bot')).closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, revoke' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This action needs the admin role.');
  });

  it('tells a viewer who may manage keys instead of calling the API', async () => {
    const viewer = { ...demoMe, memberships: [{ ...demoMe.memberships[0]!, role: 'viewer' }] };
    const fetchMock = stubApi({ 'GET /api/v1/auth/session': sessionOf(viewer) });
    renderWithProviders(<ApiKeysRoute />);
    expect(await screen.findByRole('note')).toHaveTextContent('needs the admin role or higher; you are a viewer');
    expect(requestsOf(fetchMock, 'GET', '/api/v1/api-keys')).toHaveLength(0);
  });
});
