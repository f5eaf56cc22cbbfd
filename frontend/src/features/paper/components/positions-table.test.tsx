import { screen, waitFor, within } from '@testing-library/react';

import { PositionsTable, markPosition } from '@/features/paper/components/positions-table';
import { FakeSocket } from '@/testing/fake-socket';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const long = {
  symbol: 'BTC-USDT', qty: '0.02', avg_entry: '60000.00', mark: '60000.00', unrealized_pnl: '0.0000',
  realized_pnl: '0', fees: '0.6', updated_ms: 1,
};
const short = {
  symbol: 'ETH-USDT', qty: '-0.5', avg_entry: '3400.00', mark: '3400.00', unrealized_pnl: '0',
  realized_pnl: '0', fees: '0.1', updated_ms: 1,
};

describe('PositionsTable', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeSocket);
  });

  it('subscribes to nothing without open positions', async () => {
    stubApi({ 'GET /api/v1/accounts/3/positions': { body: [{ ...long, qty: '0', avg_entry: null }] } });
    renderWithProviders(<PositionsTable accountId={3} exchange="sim" />);
    expect(await screen.findByText('No open positions.')).toBeInTheDocument();
    // (First in this file: the page's push client has not opened its socket yet.)
    expect(FakeSocket.instances).toHaveLength(0);
  });

  it('moves the mark and unrealized P&L live from the ticker channel of each position', async () => {
    const fetchMock = stubApi({ 'GET /api/v1/accounts/3/positions': { body: [long, short] } });
    renderWithProviders(<PositionsTable accountId={3} exchange="sim" />);
    const table = await screen.findByRole('table', { name: 'Positions' });
    const btc = within(table).getByRole('row', { name: /BTC-USDT/ });
    expect(within(btc).getByTestId('mark')).toHaveTextContent('60,000');

    const socket = FakeSocket.instances[0]!;
    socket.open();
    await waitFor(() => {
      expect(socket.sent).toContainEqual({ type: 'subscribe', channel: 'ticker', exchange: 'sim', symbol: 'BTC-USDT' });
      expect(socket.sent).toContainEqual({ type: 'subscribe', channel: 'ticker', exchange: 'sim', symbol: 'ETH-USDT' });
    });
    const positionFetches = fetchMock.mock.calls.length;

    // 0.02 x (60123.45 - 60000.00) = 2.469; the short gains as ETH falls: -0.5 x (3390.10 - 3400) = 4.95
    socket.receive({ type: 'update', channel: 'ticker:sim:BTC-USDT', data: { close: '60123.45', closed: false } });
    socket.receive({ type: 'snapshot', channel: 'ticker:sim:ETH-USDT', data: { close: '3390.10', closed: false } });
    await waitFor(() => expect(within(btc).getByTestId('mark')).toHaveTextContent('60,123.45'));
    expect(within(btc).getByTestId('unrealized-pnl')).toHaveTextContent('2.47');
    expect(within(btc).getByTestId('unrealized-pnl')).toHaveClass('text-up');
    const eth = within(table).getByRole('row', { name: /ETH-USDT/ });
    expect(within(eth).getByTestId('mark')).toHaveTextContent('3,390.1');
    expect(within(eth).getByTestId('unrealized-pnl')).toHaveTextContent('4.95');

    // Below the entry: a loss, without another request.
    socket.receive({ type: 'update', channel: 'ticker:sim:BTC-USDT', data: { close: '59900.00', closed: false } });
    await waitFor(() => expect(within(btc).getByTestId('unrealized-pnl')).toHaveTextContent('-2'));
    expect(within(btc).getByTestId('unrealized-pnl')).toHaveClass('text-down');
    expect(fetchMock.mock.calls.length).toBe(positionFetches);
  });
});

describe('markPosition', () => {
  it('takes the newer of the refetched mark and the live price', () => {
    expect(markPosition(long, { price: '61000', at: 200 }, 100)).toEqual({ mark: '61000', unrealized: '20', live: true });
    expect(markPosition({ ...long, mark: '60500.00' }, { price: '61000', at: 50 }, 100)).toEqual({
      mark: '60500.00', unrealized: '10', live: false,
    });
    expect(markPosition({ ...long, mark: null, unrealized_pnl: null }, undefined, 100)).toEqual({
      mark: null, unrealized: null, live: false,
    });
  });
});
