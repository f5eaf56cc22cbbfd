import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { withLivePrice } from '@/features/markets/api/use-markets-list';
import { MarketsRoute } from '@/features/markets/routes/markets-route';
import { FakeSocket } from '@/testing/fake-socket';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const instrument = (symbol: string) => ({ exchange: 'sim', symbol, base: symbol.split('-')[0] ?? symbol, quote: 'USDT', tick_size: '0.01', lot_size: '0.0001', min_notional: null });
const ticker = { exchange: 'sim', symbol: 'BTC-USDT', last_price: '100', price_change: '10', price_change_percent: '11.1111', high: '105', low: '90', volume: '3', quote_volume: '300', trades: 9 };

describe('MarketsRoute', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeSocket);
  });

  it('moves last price and 24h change live from the ticker channel', async () => {
    stubApi({
      'GET /api/v1/market/instruments': { body: [instrument('BTC-USDT'), instrument('ETH-USDT')] },
      'GET /api/v1/market/ticker': { body: [ticker] },
    });
    renderWithProviders(<MarketsRoute />);
    const table = await screen.findByRole('table', { name: 'Markets' });
    const btc = await within(table).findByRole('row', { name: /BTC-USDT/ });
    await waitFor(() => expect(btc).toHaveTextContent('+11.11%'));

    const socket = FakeSocket.instances[0]!;
    socket.open();
    await waitFor(() => expect(socket.sent).toContainEqual({ type: 'subscribe', channel: 'ticker', exchange: 'sim', symbol: 'BTC-USDT' }));
    socket.receive({ type: 'update', channel: 'ticker:sim:BTC-USDT', data: { close: '108', closed: false } });

    // Open was 90 (100 - 10): 108 is +20 %, and a new 24h high.
    await waitFor(() => expect(within(table).getByRole('row', { name: /BTC-USDT/ })).toHaveTextContent('+20.00%'));
    expect(within(table).getByRole('row', { name: /BTC-USDT/ })).toHaveTextContent('108');
  });

  it('filters by search and explains an empty result', async () => {
    stubApi({
      'GET /api/v1/market/instruments': { body: [instrument('BTC-USDT'), instrument('ETH-USDT')] },
      'GET /api/v1/market/ticker': { body: [] },
    });
    renderWithProviders(<MarketsRoute />);
    await screen.findByRole('link', { name: 'ETH-USDT' });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search markets' }), { target: { value: 'eth' } });
    expect(screen.queryByRole('link', { name: 'BTC-USDT' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'ETH-USDT' })).toBeInTheDocument();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search markets' }), { target: { value: 'doge' } });
    expect(screen.getByText(/No market matches “doge”/)).toBeInTheDocument();
  });
});

describe('withLivePrice', () => {
  it('keeps the row when there is no live price or no 24h figures', () => {
    const row = { ...instrument('BTC-USDT'), ticker: undefined };
    expect(withLivePrice(row, '5')).toBe(row);
    const withTicker = { ...instrument('BTC-USDT'), ticker };
    expect(withLivePrice(withTicker, undefined)).toBe(withTicker);
    expect(withLivePrice(withTicker, '85').ticker).toMatchObject({ last_price: '85', low: '85', high: '105', price_change: '-5' });
  });
});
