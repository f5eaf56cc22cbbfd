import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { AUDIT_PAGE } from '@/features/settings/api/keys';
import { AuditRoute } from '@/features/settings/routes/audit-route';
import { setActiveTenant } from '@/shared/tenant/tenant-store';
import { renderWithProviders, sessionOf, stubApi } from '@/testing/test-utils';

function event(id: number, action = 'api_key.created') {
  return { id, action, actor_label: 'demo@example.com', target: `qt_live_${id}`, ip: '10.0.0.1', data: { scopes: ['read', 'trade'] }, created_at: '2026-11-21T10:00:00Z' };
}

describe('Audit log', () => {
  beforeEach(() => setActiveTenant('7'));
  afterEach(() => setActiveTenant(null));

  it('pages with before= and filters by action', async () => {
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/audit-log/actions': { body: ['api_key.created', 'api_key.revoked'] },
      'GET /api/v1/audit-log': (request) => {
        const query = new URL(request.url).searchParams;
        if (query.get('action') === 'api_key.revoked') return { body: [event(3, 'api_key.revoked')] };
        const before = Number(query.get('before') ?? 1000);
        const first = Math.min(before - 1, 1000);
        // Page 1: ids 1000..951; page 2: 950..901 (full pages both).
        return { body: Array.from({ length: AUDIT_PAGE }, (_, i) => event(first - i)) };
      },
    });
    renderWithProviders(<AuditRoute />);
    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(within(table).getByText('qt_live_999')).toBeInTheDocument();
    expect(within(table).getAllByText('scopes: read, trade').length).toBe(AUDIT_PAGE);

    fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    expect(await within(screen.getByRole('table', { name: 'Audit log' })).findByText('qt_live_949')).toBeInTheDocument();
    const urls = fetchMock.mock.calls.map(([r]) => new URL((r as Request).url)).filter((u) => u.pathname === '/api/v1/audit-log');
    expect(urls.at(-1)!.searchParams.get('before')).toBe('950');
    expect(screen.getByText('page 2')).toBeInTheDocument();

    await screen.findByRole('option', { name: 'api_key.revoked' });
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'api_key.revoked' } });
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Audit log' })).getAllByRole('row')).toHaveLength(2));
    const last = fetchMock.mock.calls.map(([r]) => new URL((r as Request).url)).filter((u) => u.pathname === '/api/v1/audit-log').at(-1)!;
    expect(last.searchParams.get('action')).toBe('api_key.revoked');
    expect(last.searchParams.get('before')).toBeNull(); // a new filter starts at the newest page
  });

  it('says what to do when a filter matches nothing', async () => {
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/audit-log/actions': { body: ['login.succeeded'] },
      'GET /api/v1/audit-log': { body: [] },
    });
    renderWithProviders(<AuditRoute />);
    expect(await screen.findByText(/No events yet/)).toBeInTheDocument();
  });
});
