import { fireEvent, screen, waitFor } from '@testing-library/react';

import { TenantSwitcher } from '@/features/auth/components/tenant-switcher';
import { getActiveTenant, setActiveTenant } from '@/shared/tenant/tenant-store';
import { renderWithProviders, sessionOf, stubApi } from '@/testing/test-utils';

describe('TenantSwitcher', () => {
  afterEach(() => setActiveTenant(null));

  it('defaults to the session tenant and switches the X-Tenant used by later calls', async () => {
    setActiveTenant(null);
    stubApi({ 'GET /api/v1/auth/session': sessionOf() });
    renderWithProviders(<TenantSwitcher />);

    const select = await screen.findByRole('combobox', { name: 'Active tenant' });
    await waitFor(() => expect(getActiveTenant()).toBe('7'));
    expect(select).toHaveValue('7');

    fireEvent.change(select, { target: { value: '8' } });
    expect(getActiveTenant()).toBe('8');
    expect(window.localStorage.getItem('qt.activeTenant')).toBe('8');
  });

  it('replaces a stored tenant the user no longer belongs to', async () => {
    setActiveTenant('99');
    stubApi({ 'GET /api/v1/auth/session': sessionOf() });
    renderWithProviders(<TenantSwitcher />);

    await waitFor(() => expect(getActiveTenant()).toBe('7'));
  });
});
