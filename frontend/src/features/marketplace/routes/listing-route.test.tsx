import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';

import type { ListingDetail } from '@/features/marketplace/api/get-listing';
import type { Subscription } from '@/features/marketplace/api/get-subscriptions';
import { externalPage } from '@/features/marketplace/api/external-page';
import { ListingRoute } from '@/features/marketplace/routes/listing-route';
import { detailOf, freeListing, paidListing, subscriptionOf } from '@/features/marketplace/testing-fixtures';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

function renderListing(detail: ListingDetail, { billing = false, subscriptions = [] as Subscription[] } = {}) {
  const state = { subscriptions, posted: null as unknown };
  const fetchMock = stubApi({
    [`GET /api/v1/marketplace/listings/${detail.slug}`]: { body: detail },
    'GET /api/v1/marketplace/subscriptions': () => ({ body: state.subscriptions }),
    'GET /api/v1/marketplace/reviews': { body: [] },
    'GET /api/v1/billing': { body: { enabled: billing, tier: 'pro', tier_name: 'Pro', plans: [], plan_status: '', grace_until: null, history_days: 365, usage: [] } },
    'POST /api/v1/marketplace/subscriptions': (request) => {
      void request.clone().json().then((json) => (state.posted = json));
      if (detail.price_cents) {
        return { status: 201, body: { ...subscriptionOf(detail, { status: 'pending' }), checkout_url: 'https://checkout.stripe.test/c/pay_1' } };
      }
      state.subscriptions = [subscriptionOf(detail)];
      return { status: 201, body: subscriptionOf(detail) };
    },
  });
  renderWithProviders(
    <Routes>
      <Route path="/marketplace/:slug" element={<ListingRoute />} />
    </Routes>,
    { route: `/marketplace/${detail.slug}` },
  );
  return { fetchMock, state };
}

describe('ListingRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('shows the description, the verified track record chart and the versions', async () => {
    renderListing(detailOf(freeListing));
    expect(await screen.findByRole('heading', { name: 'SMA Trend Follower' })).toBeInTheDocument();
    const description = screen.getByRole('region', { name: 'Description' });
    expect(within(description).getByRole('heading', { name: 'How it trades' })).toBeInTheDocument();
    expect(within(description).getByText('moving averages').tagName).toBe('STRONG');
    const record = screen.getByRole('region', { name: 'Verified track record' });
    expect(within(record).getByTestId('track-record-chart')).toBeInTheDocument();
    expect(within(record).getByText('-19.8%')).toBeInTheDocument();
    fireEvent.click(within(record).getByRole('tab', { name: 'Live paper (out-of-sample)' }));
    expect(within(record).getByText(/Collecting/)).toBeInTheDocument();
    const versions = screen.getByRole('table', { name: 'Versions' });
    expect(within(versions).getByText('First release.')).toBeInTheDocument();
    expect(within(versions).getAllByRole('row')).toHaveLength(3);
  });

  it('subscribes to a free listing at once and then links to deploying it', async () => {
    const { state } = renderListing(detailOf(freeListing));
    fireEvent.click(await screen.findByRole('button', { name: 'Subscribe for free' }));

    const deploy = await screen.findByRole('link', { name: 'Deploy it' });
    expect(deploy).toHaveAttribute('href', '/deployments/new?listing=qt-sma-trend');
    expect(state.posted).toEqual({ listing: 'qt-sma-trend', follow_latest: true });
    expect(screen.getByRole('status')).toHaveTextContent('Subscribed. Your subscription is active');
    // Subscribed now: the review form opens.
    expect(await screen.findByRole('form', { name: 'Your review' })).toBeInTheDocument();
  });

  it('pins a chosen version when subscribing', async () => {
    const { state } = renderListing(detailOf(freeListing));
    fireEvent.change(await screen.findByLabelText('Version'), { target: { value: '1.0.0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Subscribe for free' }));
    await screen.findByRole('link', { name: 'Deploy it' });
    expect(state.posted).toEqual({ listing: 'qt-sma-trend', follow_latest: false, version: '1.0.0' });
  });

  it('says billing is disabled for a paid listing instead of offering a checkout', async () => {
    const { fetchMock } = renderListing(detailOf(paidListing), { billing: false });
    const note = await screen.findByRole('note', { name: 'Billing disabled' });
    expect(note).toHaveTextContent('Billing is disabled on this installation');
    expect(screen.getByText('$9.00 / month')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /subscribe|checkout/i })).not.toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([input]) => (input as Request).method === 'POST')).toBe(false);
  });

  it('sends a paid listing to Stripe Checkout when billing is on', async () => {
    const open = vi.spyOn(externalPage, 'open').mockImplementation(() => {});
    renderListing(detailOf(paidListing), { billing: true });
    fireEvent.click(await screen.findByRole('button', { name: 'Subscribe · $9.00 / month' }));
    await waitFor(() => expect(open).toHaveBeenCalledWith('https://checkout.stripe.test/c/pay_1'));
  });

  it('shows an existing subscription with the deploy link and no subscribe button', async () => {
    renderListing(detailOf(paidListing), { subscriptions: [subscriptionOf(paidListing, { follow_latest: false, pinned_version: '1.0.0' })] });
    expect(await screen.findByRole('link', { name: 'Deploy it' })).toHaveAttribute('href', '/deployments/new?listing=qt-macd-signal');
    expect(screen.getByRole('status')).toHaveTextContent('pinned to 1.0.0');
    expect(screen.queryByRole('note', { name: 'Billing disabled' })).not.toBeInTheDocument();
  });
});
