import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { FILLS_PAGE } from '@/features/paper/api/get-fills';
import { ORDERS_PAGE } from '@/features/paper/api/get-orders';
import { FillsTable } from '@/features/paper/components/fills-table';
import { OpenOrdersTable } from '@/features/paper/components/open-orders-table';
import { OrderHistoryTable } from '@/features/paper/components/order-history-table';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const fill = (n: number) => ({
  id: `3:${n}-1`, order_id: `3:${n}`, account: 3, symbol: 'BTC-USDT', side: 'buy', price: '60000', qty: '0.01',
  fee: '0.6', fee_currency: 'USDT', liquidity: 'taker', realized_pnl: '0', ts_ms: 1_700_000_000_000 + n,
});
const order = (n: number, status = 'filled') => ({
  id: `3:${n}`, account: 3, client_order_id: null, symbol: 'BTC-USDT', side: 'buy', type: 'limit', tif: 'gtc',
  qty: '0.01', price: '60000.00', stop_price: null, trail_offset: null, trail_bps: null, reduce_only: false, status,
  filled_qty: '0', avg_price: null, fees: '0', reject_reason: status === 'rejected' ? 'min_notional' : null,
  created_ms: n, updated_ms: n,
});
/** Newest first: ids total, total-1, ... 1, served `limit` at a time below `before`. */
function pages<T>(total: number, make: (n: number) => T, seen: URLSearchParams[]) {
  return (request: Request) => {
    const query = new URL(request.url).searchParams;
    seen.push(query);
    const before = query.get('before');
    const top = before ? Number(before.split(':')[1]!.split('-')[0]) - 1 : total;
    const limit = Number(query.get('limit'));
    return { body: Array.from({ length: Math.max(0, Math.min(limit, top)) }, (_, i) => make(top - i)) };
  };
}

describe('paged account tables', () => {
  it('pages fills with the last fill id as the cursor, and back', async () => {
    const seen: URLSearchParams[] = [];
    stubApi({ 'GET /api/v1/accounts/3/fills': pages(FILLS_PAGE + 3, fill, seen) });
    renderWithProviders(<FillsTable accountId={3} />);
    const table = await screen.findByRole('table', { name: 'Fills' });
    expect(within(table).getAllByRole('row')).toHaveLength(FILLS_PAGE + 1);
    const nav = screen.getByRole('navigation', { name: 'Fill pages' });
    expect(within(nav).getByRole('button', { name: 'Newer' })).toBeDisabled();

    fireEvent.click(within(nav).getByRole('button', { name: 'Older' }));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Fills' })).getAllByRole('row')).toHaveLength(4));
    expect(seen.at(-1)?.get('before')).toBe('3:4-1');
    expect(seen.at(-1)?.get('limit')).toBe(String(FILLS_PAGE));
    expect(screen.getByText('page 2')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();

    fireEvent.click(screen.getByRole('button', { name: 'Newer' }));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Fills' })).getAllByRole('row')).toHaveLength(FILLS_PAGE + 1));
  });

  it('shows no pager when everything fits on one page', async () => {
    stubApi({ 'GET /api/v1/accounts/3/fills': pages(2, fill, []) });
    renderWithProviders(<FillsTable accountId={3} />);
    await screen.findByRole('table', { name: 'Fills' });
    expect(screen.queryByRole('navigation', { name: 'Fill pages' })).not.toBeInTheDocument();
  });

  it('pages the order history (every status, rejections with their reason)', async () => {
    const seen: URLSearchParams[] = [];
    stubApi({
      'GET /api/v1/accounts/3/orders': pages(ORDERS_PAGE + 1, (n) => order(n, n === 1 ? 'rejected' : 'filled'), seen),
    });
    renderWithProviders(<OrderHistoryTable accountId={3} />);
    await screen.findByRole('table', { name: 'Order history' });
    expect(seen[0]?.get('status')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    await screen.findByText('rejected (min_notional)');
    expect(seen.at(-1)?.get('before')).toBe('3:2');
  });

  it('pages open orders with status=open', async () => {
    const seen: URLSearchParams[] = [];
    stubApi({ 'GET /api/v1/accounts/3/orders': pages(ORDERS_PAGE + 2, (n) => order(n, 'new'), seen) });
    renderWithProviders(<OpenOrdersTable accountId={3} />);
    await screen.findByRole('table', { name: 'Open orders' });
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Open order pages' })).getByRole('button', { name: 'Older' }));
    await screen.findByRole('button', { name: 'Cancel order 3:1' });
    expect(seen.at(-1)?.get('status')).toBe('open');
    expect(seen.at(-1)?.get('before')).toBe('3:3');
  });
});
