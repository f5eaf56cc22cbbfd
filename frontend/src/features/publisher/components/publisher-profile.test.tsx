import { fireEvent, screen, waitFor } from '@testing-library/react';

import { ListingStatsPanel } from '@/features/publisher/components/listing-stats';
import { PayoutsStatus } from '@/features/publisher/components/publisher-profile';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const publisher = { id: 3, display_name: 'Alpha', enabled: true, stripe_account_id: '', payouts_enabled: false, billing_enabled: true };

describe('PayoutsStatus', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('says clearly when billing is disabled and offers no onboarding', () => {
    stubApi({});
    renderWithProviders(<PayoutsStatus publisher={{ ...publisher, billing_enabled: false }} />);
    expect(screen.getByText('Billing disabled')).toBeInTheDocument();
    expect(screen.getByText(/payouts cannot be set up/)).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('continues onboarding at the link the API returns', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, assign });
    stubApi({
      'POST /api/v1/marketplace/publisher/onboarding': { status: 201, body: { account: 'acct_1', url: 'https://connect.stripe.test/setup/abc' } },
    });
    renderWithProviders(<PayoutsStatus publisher={{ ...publisher, stripe_account_id: 'acct_1' }} />);
    expect(screen.getByText('Onboarding incomplete')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Continue onboarding' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://connect.stripe.test/setup/abc'));
  });

  it('shows the API error when onboarding cannot start', async () => {
    stubApi({
      'POST /api/v1/marketplace/publisher/onboarding': {
        status: 503,
        body: { error: { code: 'billing_disabled', message: 'billing is not configured on this installation' } },
      },
    });
    renderWithProviders(<PayoutsStatus publisher={publisher} />);
    fireEvent.click(screen.getByRole('button', { name: 'Set up payouts' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('billing is not configured on this installation');
  });

  it('shows payouts enabled without a button once Stripe says so', () => {
    stubApi({});
    renderWithProviders(<PayoutsStatus publisher={{ ...publisher, stripe_account_id: 'acct_1', payouts_enabled: true }} />);
    expect(screen.getByText('Payouts enabled')).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('ListingStatsPanel', () => {
  it('shows subscribers by status and revenue with your share', async () => {
    stubApi({
      'GET /api/v1/marketplace/my-listings/5/stats': {
        body: {
          subscribers: { active: 3, past_due: 1, pending: 0, lapsed: 2, cancelled: 4 },
          entitled: 4,
          revenue: [{ currency: 'usd', gross_cents: 250000, publisher_cents: 200000, paid_invoices: 25 }],
          failed_invoices: 2,
          monthly: [{ month: '2026-11', currency: 'usd', gross_cents: 3000, publisher_cents: 2400, invoices: 3 }],
          billing_enabled: true,
        },
      },
    });
    renderWithProviders(<ListingStatsPanel listingId={5} free={false} />);
    const subscribers = await screen.findByLabelText('Subscribers by status');
    expect(subscribers).toHaveTextContent('Active3');
    expect(subscribers).toHaveTextContent('Lapsed2');
    const revenue = screen.getByRole('table', { name: 'Revenue' });
    expect(revenue).toHaveTextContent('$2,500.00');
    expect(revenue).toHaveTextContent('$2,000.00');
    expect(screen.getByRole('table', { name: 'Revenue by month' })).toHaveTextContent('2026-11');
    expect(screen.getByText('2 invoice(s) failed to be paid.')).toBeInTheDocument();
  });

  it('explains an empty revenue for a free listing', async () => {
    stubApi({
      'GET /api/v1/marketplace/my-listings/5/stats': {
        body: { subscribers: { active: 0 }, entitled: 0, revenue: [], failed_invoices: 0, monthly: [], billing_enabled: false },
      },
    });
    renderWithProviders(<ListingStatsPanel listingId={5} free />);
    expect(await screen.findByText(/A free listing earns no revenue/)).toBeInTheDocument();
  });
});
