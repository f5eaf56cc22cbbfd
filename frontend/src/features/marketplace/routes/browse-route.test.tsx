import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { BrowseRoute } from '@/features/marketplace/routes/browse-route';
import { facets, freeListing, paidListing } from '@/features/marketplace/testing-fixtures';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

/** The query strings the listings endpoint was called with, in order. */
function listingQueries(fetchMock: ReturnType<typeof stubApi>): URLSearchParams[] {
  return fetchMock.mock.calls
    .map(([input]) => new URL((input as Request).url))
    .filter((url) => url.pathname === '/api/v1/marketplace/listings')
    .map((url) => url.searchParams);
}

function lastQuery(fetchMock: ReturnType<typeof stubApi>): URLSearchParams {
  const queries = listingQueries(fetchMock);
  return queries[queries.length - 1] ?? new URLSearchParams();
}

describe('BrowseRoute', () => {
  function stub(total = 2) {
    return stubApi({
      'GET /api/v1/marketplace/listings': { body: [freeListing, paidListing], headers: { 'X-Total-Count': String(total) } },
      'GET /api/v1/marketplace/facets': { body: facets },
    });
  }

  it('shows each listing with its publisher, price and platform backtest numbers', async () => {
    stub();
    renderWithProviders(<BrowseRoute />, { route: '/marketplace' });

    const card = (await screen.findByRole('link', { name: 'SMA Trend Follower' })).closest('article') as HTMLElement;
    expect(within(card).getByText(/by Quant-Trader/)).toBeInTheDocument();
    expect(within(card).getByText('Free')).toBeInTheDocument();
    expect(within(card).getByText('-19.8%')).toBeInTheDocument();
    expect(within(card).getByText('1.25')).toBeInTheDocument();
    expect(within(card).getByText('−22.2%')).toBeInTheDocument();
    expect(screen.getByText('$9.00 / month')).toBeInTheDocument();
    expect(screen.getByText('2 listings')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'My subscriptions' })).toHaveAttribute('href', '/marketplace/subscriptions');
  });

  it('sends the chosen sort, price, category and search to the API', async () => {
    const fetchMock = stub();
    renderWithProviders(<BrowseRoute />, { route: '/marketplace' });
    await screen.findByRole('link', { name: 'SMA Trend Follower' });
    expect(lastQuery(fetchMock).get('sort')).toBeNull();
    expect(lastQuery(fetchMock).get('page_size')).toBe('12');

    fireEvent.change(screen.getByLabelText('Sort by'), { target: { value: 'subscribers' } });
    await waitFor(() => expect(lastQuery(fetchMock).get('sort')).toBe('subscribers'));

    fireEvent.change(screen.getByLabelText('Price'), { target: { value: 'free' } });
    await waitFor(() => expect(lastQuery(fetchMock).get('free')).toBe('true'));

    await screen.findByRole('option', { name: 'trend (2)' });
    fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'trend' } });
    await waitFor(() => expect(lastQuery(fetchMock).get('category')).toBe('trend'));

    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'macd' } });
    await waitFor(() => expect(lastQuery(fetchMock).get('q')).toBe('macd'));
    const query = lastQuery(fetchMock);
    expect([query.get('sort'), query.get('free'), query.get('category')]).toEqual(['subscribers', 'true', 'trend']);

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(lastQuery(fetchMock).toString()).toBe('sort=subscribers&page_size=12'));
  });

  it('pages through the total the API reports, and a filter change goes back to page 1', async () => {
    const fetchMock = stub(30);
    renderWithProviders(<BrowseRoute />, { route: '/marketplace?sort=price' });
    const pager = await screen.findByRole('navigation', { name: 'Listing pages' });
    expect(within(pager).getByText('page 1 of 3')).toBeInTheDocument();
    expect(within(pager).getByRole('button', { name: 'Previous' })).toBeDisabled();

    fireEvent.click(within(pager).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(lastQuery(fetchMock).get('page')).toBe('2'));
    expect(lastQuery(fetchMock).get('sort')).toBe('price');
    expect(await screen.findByText('page 2 of 3')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Risk'), { target: { value: 'medium' } });
    await waitFor(() => expect(lastQuery(fetchMock).get('risk_level')).toBe('medium'));
    expect(lastQuery(fetchMock).get('page')).toBeNull();
  });
});
