import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { ListingForm } from '@/features/publisher/components/listing-form';
import { emptyListing, priceToCents, validateListing } from '@/features/publisher/components/listing-values';
import { PublisherHomeRoute } from '@/features/publisher/routes/publisher-home-route';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const valid = { ...emptyListing, name: 'Trend rider', slug: 'trend-rider', summary: 'SMA crossover' };

describe('validateListing pricing', () => {
  it('accepts free, and monthly prices with at most two decimals within bounds', () => {
    expect(validateListing({ ...valid, pricing: 'free', price: 'junk' }, { creating: true })).toEqual({});
    expect(validateListing({ ...valid, pricing: 'monthly', price: '19.99' }, { creating: true })).toEqual({});
    expect(validateListing({ ...valid, pricing: 'monthly', price: '' }, { creating: true }).price).toMatch(/Enter the monthly price/);
    expect(validateListing({ ...valid, pricing: 'monthly', price: '9.999' }, { creating: true }).price).toMatch(/two decimals/);
    expect(validateListing({ ...valid, pricing: 'monthly', price: '-5' }, { creating: true }).price).toMatch(/two decimals/);
    expect(validateListing({ ...valid, pricing: 'monthly', price: '0' }, { creating: true }).price).toMatch(/at least 0.50/);
    expect(validateListing({ ...valid, pricing: 'monthly', price: '100000.01' }, { creating: true }).price).toMatch(/At most 100,000/);
  });

  it('converts prices to cents exactly', () => {
    expect(priceToCents('19.99')).toBe(1999);
    expect(priceToCents('19.9')).toBe(1990);
    expect(priceToCents('7')).toBe(700);
    expect(priceToCents('0.1')).toBe(10);
    expect(priceToCents('1e3')).toBeNull();
  });

  it('checks the slug only when creating', () => {
    expect(validateListing({ ...valid, slug: 'Bad Slug' }, { creating: true }).slug).toBeDefined();
    expect(validateListing({ ...valid, slug: 'Bad Slug' }, { creating: false }).slug).toBeUndefined();
  });
});

describe('ListingForm', () => {
  it('blocks a bad monthly price, then sends the price in cents', async () => {
    const onSubmit = vi.fn();
    renderWithProviders(<ListingForm initial={emptyListing} creating pending={false} error={null} submitLabel="Create listing" onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Trend Rider 2' } });
    expect(screen.getByLabelText(/^Slug/)).toHaveValue('trend-rider-2');
    fireEvent.change(screen.getByLabelText(/^Summary/), { target: { value: 'Rides trends' } });
    fireEvent.click(screen.getByLabelText('Monthly subscription'));
    fireEvent.change(screen.getByLabelText('Price per month (USD)'), { target: { value: '12.345' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create listing' }));
    expect(await screen.findByText(/at most two decimals/)).toBeInTheDocument();
    expect(screen.getByLabelText('Price per month (USD)')).toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('Price per month (USD)'), { target: { value: '12.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create listing' }));
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ slug: 'trend-rider-2', price_cents: 1250, name: 'Trend Rider 2' }));

    fireEvent.click(screen.getByLabelText('Free'));
    fireEvent.click(screen.getByRole('button', { name: 'Create listing' }));
    expect(onSubmit).toHaveBeenLastCalledWith(expect.objectContaining({ price_cents: 0 }));
  });

  it('previews the Markdown description without injecting markup', () => {
    renderWithProviders(<ListingForm initial={{ ...valid, description: '## How\n**bold** <script>x</script>' }} creating={false}
      pending={false} error={null} submitLabel="Save" onSubmit={vi.fn()} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Preview' }));
    expect(screen.getByRole('heading', { name: 'How' })).toBeInTheDocument();
    expect(screen.getByText('bold').tagName).toBe('STRONG');
    expect(screen.getByTestId('markdown-preview').querySelector('script')).toBeNull();
  });
});

describe('PublisherHomeRoute', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
  });

  it('creates the listing and shows the API refusal as it says it', async () => {
    let sent: Record<string, unknown> | null = null;
    stubApi({
      'GET /api/v1/marketplace/publisher': {
        body: { id: 3, display_name: 'Alpha', enabled: true, stripe_account_id: '', payouts_enabled: false, billing_enabled: false },
      },
      'GET /api/v1/marketplace/my-listings': { body: [] },
      'POST /api/v1/marketplace/my-listings': (request) => {
        void request.clone().json().then((json) => (sent = json as Record<string, unknown>));
        return { status: 409, body: { error: { code: 'slug_taken', message: "the slug 'mine' is taken" } } };
      },
    });
    renderWithProviders(<PublisherHomeRoute />);
    expect(await screen.findByText(/No listings yet/)).toBeInTheDocument();
    expect(screen.getByText('Billing disabled')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'New listing' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Mine' } });
    fireEvent.change(screen.getByLabelText(/^Slug/), { target: { value: 'mine' } });
    fireEvent.change(screen.getByLabelText(/^Summary/), { target: { value: 'Mine' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create listing' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("the slug 'mine' is taken");
    await waitFor(() => expect(sent).toMatchObject({ slug: 'mine', price_cents: 0, intervals: ['1m'], markets: ['sim:BTC-USDT'] }));
  });

  it('lists my listings with state, subscribers, price and my revenue', async () => {
    stubApi({
      'GET /api/v1/marketplace/publisher': { body: { id: 3, display_name: 'Alpha', enabled: true, billing_enabled: true } },
      'GET /api/v1/marketplace/my-listings': {
        body: [
          { id: 8, name: 'Paid one', slug: 'paid-one', summary: 's', category: 'trend', price_cents: 1999, public: true,
            subscriber_count: 12, latest_version: '1.2.0',
            revenue: [{ currency: 'usd', gross_cents: 200000, publisher_cents: 160000, paid_invoices: 100 }] },
          { id: 7, name: 'Draft', slug: 'draft', summary: 's', category: 'trend', price_cents: 0, public: false,
            subscriber_count: 0, latest_version: null, revenue: [] },
        ],
      },
    });
    renderWithProviders(<PublisherHomeRoute />);
    const table = await screen.findByRole('table', { name: 'My listings' });
    const [paid, draft] = within(table).getAllByRole('row').slice(1);
    expect(paid).toHaveTextContent('Public');
    expect(paid).toHaveTextContent('12');
    expect(paid).toHaveTextContent('$19.99 / month');
    expect(paid).toHaveTextContent('$1,600.00');
    expect(within(paid!).getByRole('link', { name: 'Paid one' })).toHaveAttribute('href', '/publisher/listings/8');
    expect(draft).toHaveTextContent('Draft: no published version');
    expect(draft).toHaveTextContent('Free');
    expect(screen.queryByRole('navigation', { name: 'Listing pages' })).toBeNull(); // one short page
  });

  it('offers to create the publisher profile when there is none', async () => {
    let sent: unknown = null;
    stubApi({
      'GET /api/v1/marketplace/publisher': { body: { id: null, display_name: '', enabled: false, billing_enabled: true } },
      'POST /api/v1/marketplace/publisher': (request) => {
        void request.clone().json().then((json) => (sent = json));
        return { body: { id: 4, display_name: 'Northwind', enabled: true } };
      },
    });
    renderWithProviders(<PublisherHomeRoute />);
    fireEvent.change(await screen.findByLabelText('Display name'), { target: { value: '  Northwind ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create publisher profile' }));
    await waitFor(() => expect(sent).toEqual({ display_name: 'Northwind', enabled: true }));
    expect(screen.queryByRole('table', { name: 'My listings' })).toBeNull();
  });
});
