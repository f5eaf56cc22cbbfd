import { fireEvent, screen } from '@testing-library/react';

import { PlanRoute } from '@/features/settings/routes/plan-route';
import { setActiveTenant } from '@/shared/tenant/tenant-store';
import { demoMe, renderWithProviders, sessionOf, stubApi } from '@/testing/test-utils';

function billing(overrides: Record<string, unknown> = {}) {
  return {
    enabled: false,
    tier: 'free',
    tier_name: 'Free',
    plans: [],
    plan_status: '',
    grace_until: null,
    history_days: 30,
    usage: [
      { quota: 'paper_accounts', label: 'Paper accounts', used: 2, limit: 2 },
      { quota: 'alert_rules', label: 'Active alert rules', used: 3, limit: 10 },
      { quota: 'backtests_per_day', label: 'Backtests (last 24 h)', used: 17, limit: 20 },
      { quota: 'websocket_connections', label: 'Live connections', used: null, limit: 2 },
    ],
    ...overrides,
  };
}

describe('Plan and usage', () => {
  beforeEach(() => setActiveTenant('7'));
  afterEach(() => setActiveTenant(null));

  it('draws one meter per tier limit from the billing payload', async () => {
    stubApi({ 'GET /api/v1/auth/session': sessionOf(), 'GET /api/v1/billing': { body: billing() } });
    renderWithProviders(<PlanRoute />);

    const paper = await screen.findByRole('meter', { name: 'Paper accounts' });
    expect(paper).toHaveAttribute('aria-valuenow', '2');
    expect(paper).toHaveAttribute('aria-valuemax', '2');
    expect(paper.firstElementChild).toHaveStyle({ width: '100.0%' });
    expect(paper.firstElementChild).toHaveClass('bg-down');
    const alerts = screen.getByRole('meter', { name: 'Active alert rules' });
    expect(alerts.firstElementChild).toHaveStyle({ width: '30.0%' });
    expect(alerts.firstElementChild).toHaveClass('bg-accent');
    expect(screen.getByRole('meter', { name: 'Backtests (last 24 h)' }).firstElementChild).toHaveClass('bg-yellow-500');
    expect(screen.getByText('3 / 10')).toBeInTheDocument();
    // Not metered: the limit, no bar.
    expect(screen.queryByRole('meter', { name: 'Live connections' })).not.toBeInTheDocument();
    expect(screen.getByText('limit 2')).toBeInTheDocument();
    expect(screen.getByText(/Limit reached/)).toBeInTheDocument();
  });

  it('says billing is disabled when the installation has no Stripe', async () => {
    stubApi({ 'GET /api/v1/auth/session': sessionOf(), 'GET /api/v1/billing': { body: billing() } });
    renderWithProviders(<PlanRoute />);
    expect(await screen.findByText(/Billing is disabled on this installation/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Upgrade/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Manage billing' })).not.toBeInTheDocument();
  });

  it('upgrades through Stripe Checkout when billing is on', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, assign, origin: window.location.origin });
    const fetchMock = stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/billing': { body: billing({ enabled: true, plans: ['free', 'pro'] }) },
      'POST /api/v1/billing/checkout': { status: 201, body: { id: 'cs_1', url: 'https://checkout.stripe.test/cs_1' } },
    });
    renderWithProviders(<PlanRoute />);
    expect(screen.queryByRole('button', { name: 'Upgrade to free' })).not.toBeInTheDocument();
    fireEvent.click(await screen.findByRole('button', { name: 'Upgrade to pro' }));
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('https://checkout.stripe.test/cs_1'));
    const post = fetchMock.mock.calls.map(([r]) => r as Request).find((r) => r.method === 'POST')!;
    expect(await post.json()).toEqual({ tier: 'pro' });
    vi.unstubAllGlobals();
  });

  it('shows the API message when the portal cannot open', async () => {
    stubApi({
      'GET /api/v1/auth/session': sessionOf(),
      'GET /api/v1/billing': { body: billing({ enabled: true, plans: ['pro'], tier: 'pro' }) },
      'POST /api/v1/billing/portal': {
        status: 503,
        body: { error: { code: 'billing_disabled', message: 'billing is not configured on this installation' } },
      },
    });
    renderWithProviders(<PlanRoute />);
    expect(await screen.findByText('You are on the highest plan on sale.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Manage billing' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('billing is not configured on this installation');
  });

  it('viewers see the plan but not the billing actions', async () => {
    const viewer = { ...demoMe, memberships: [{ ...demoMe.memberships[0]!, role: 'viewer' }] };
    stubApi({ 'GET /api/v1/auth/session': sessionOf(viewer), 'GET /api/v1/billing': { body: billing({ enabled: true, plans: ['pro'] }) } });
    renderWithProviders(<PlanRoute />);
    expect(await screen.findByText(/Only admins and owners can change the plan/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Upgrade to pro' })).not.toBeInTheDocument();
  });
});
