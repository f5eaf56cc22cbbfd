import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';

import { AccountRoute } from '@/features/paper/routes/account-route';
import { FakeSocket } from '@/testing/fake-socket';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const account = {
  id: 3, name: 'Scalper', exchange: 'sim', currency: 'USDT', starting_balance: '10000', maker_fee: '0.001',
  taker_fee: '0.001', margin: false, leverage: '1', risk_limits: {}, kill_switch: false, breaker_tripped: false,
};
const instruments = [
  { exchange: 'sim', symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001', min_notional: '5' },
  { exchange: 'binance', symbol: 'ETH-USDT', base: 'ETH', quote: 'USDT', tick_size: '0.01', lot_size: '0.0001', min_notional: '10' },
];

describe('AccountRoute', () => {
  beforeEach(() => vi.stubGlobal('WebSocket', FakeSocket));

  it("offers the account's markets with their minimum and loads the order history on demand", async () => {
    const fetchMock = stubApi({
      'GET /api/v1/accounts/3': { body: account },
      'GET /api/v1/market/instruments': { body: instruments },
      'GET /api/v1/accounts/3/positions': { body: [] },
      'GET /api/v1/accounts/3/balances': { body: [] },
      'GET /api/v1/accounts/3/equity': { body: [] },
      'GET /api/v1/accounts/3/fills': { body: [] },
      'GET /api/v1/accounts/3/orders': (request) => ({
        body: new URL(request.url).searchParams.get('status') === 'open'
          ? []
          : [{ id: '3:1', account: 3, client_order_id: null, symbol: 'BTC-USDT', side: 'buy', type: 'market', tif: 'ioc',
              qty: '0.00001', price: null, stop_price: null, trail_offset: null, trail_bps: null, reduce_only: false,
              status: 'rejected', filled_qty: '0', avg_price: null, fees: '0', reject_reason: 'min_notional',
              created_ms: 1, updated_ms: 1 }],
      }),
    });
    renderWithProviders(
      <Routes><Route path="/paper/:accountId" element={<AccountRoute />} /></Routes>,
      { route: '/paper/3' },
    );
    const ticket = await screen.findByRole('form', { name: 'Order ticket' });
    expect(await within(ticket).findByText('min order value 5 USDT')).toBeInTheDocument();
    expect(within(ticket).queryByRole('option', { name: 'ETH-USDT' })).not.toBeInTheDocument();
    await screen.findByText('No fills yet. Place an order to trade.');

    const orderRequests = () =>
      fetchMock.mock.calls.map(([input]) => new URL((input as Request).url)).filter((u) => u.pathname.endsWith('/orders'));
    expect(orderRequests().map((u) => u.searchParams.get('status'))).toEqual(['open']);

    const history = screen.getByRole('region', { name: 'Order history' });
    fireEvent.click(within(history).getByRole('button', { name: 'Show all orders' }));
    expect(await within(history).findByText('rejected (min_notional)')).toBeInTheDocument();
    expect(orderRequests().map((u) => u.searchParams.get('status'))).toEqual(['open', null]);
  });
});
