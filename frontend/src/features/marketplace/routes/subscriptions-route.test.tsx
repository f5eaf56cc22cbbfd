import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import type { Subscription } from '@/features/marketplace/api/get-subscriptions';
import { SubscriptionsRoute } from '@/features/marketplace/routes/subscriptions-route';
import { detailOf, freeListing, paidListing, subscriptionOf } from '@/features/marketplace/testing-fixtures';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

describe('SubscriptionsRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  function stub(initial: Subscription[]) {
    const state = { rows: initial, patched: null as unknown };
    const fetchMock = stubApi({
      'GET /api/v1/marketplace/subscriptions': () => ({ body: state.rows }),
      'POST /api/v1/marketplace/subscriptions/5/cancel': () => {
        state.rows = state.rows.map((s) => (s.id === 5 ? { ...s, status: 'cancelled' as const } : s));
        return { body: state.rows.find((s) => s.id === 5) };
      },
      'GET /api/v1/marketplace/listings/qt-sma-trend': { body: detailOf(freeListing) },
      'PATCH /api/v1/marketplace/subscriptions/5': (request) => {
        void request.clone().json().then((json) => (state.patched = json));
        state.rows = state.rows.map((s) => (s.id === 5 ? { ...s, follow_latest: false, pinned_version: '1.0.0' } : s));
        return { body: state.rows.find((s) => s.id === 5) };
      },
    });
    renderWithProviders(<SubscriptionsRoute />, { route: '/marketplace/subscriptions' });
    return { fetchMock, state };
  }

  function rowOf(name: string): HTMLElement {
    return screen.getByRole('link', { name }).closest('tr') as HTMLElement;
  }

  it('cancels a subscription only after confirmation', async () => {
    const { fetchMock } = stub([subscriptionOf(freeListing)]);
    await screen.findByRole('link', { name: 'SMA Trend Follower' });
    const row = rowOf('SMA Trend Follower');
    expect(within(row).getByRole('link', { name: 'Deploy' })).toHaveAttribute('href', '/deployments/new?listing=qt-sma-trend');

    fireEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    const confirm = within(row).getByRole('group', { name: 'Confirm cancellation' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Keep' }));
    expect(within(row).queryByRole('group', { name: 'Confirm cancellation' })).not.toBeInTheDocument();
    const cancelled = () => fetchMock.mock.calls.some(([input]) => (input as Request).url.endsWith('/subscriptions/5/cancel'));
    expect(cancelled()).toBe(false);

    fireEvent.click(within(row).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Yes, cancel' }));
    await waitFor(() => expect(within(rowOf('SMA Trend Follower')).getByText('cancelled')).toBeInTheDocument());
    expect(cancelled()).toBe(true);
    const after = rowOf('SMA Trend Follower');
    expect(within(after).queryByRole('link', { name: 'Deploy' })).not.toBeInTheDocument();
    expect(within(after).getByRole('link', { name: 'Subscribe again' })).toHaveAttribute('href', '/marketplace/qt-sma-trend');
  });

  it('pins a version of the listing', async () => {
    const { state } = stub([subscriptionOf(freeListing)]);
    await screen.findByRole('link', { name: 'SMA Trend Follower' });
    fireEvent.click(within(rowOf('SMA Trend Follower')).getByRole('button', { name: 'Change' }));
    await screen.findByRole('option', { name: 'Pin 1.0.0' });
    fireEvent.change(screen.getByLabelText('Version'), { target: { value: '1.0.0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('pinned to 1.0.0')).toBeInTheDocument();
    expect(state.patched).toEqual({ follow_latest: false, version: '1.0.0' });
  });

  it('sends Stripe-paid subscriptions to the billing portal instead of cancelling here', async () => {
    stub([subscriptionOf(paidListing, { id: 6, managed_by_stripe: true })]);
    await screen.findByRole('link', { name: 'MACD Signal' });
    const row = rowOf('MACD Signal');
    expect(within(row).getByRole('button', { name: 'Manage in billing portal' })).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument();
  });

  it('points to the catalogue when there is nothing yet', async () => {
    stub([]);
    expect(await screen.findByRole('link', { name: 'Browse the marketplace' })).toHaveAttribute('href', '/marketplace');
  });
});
