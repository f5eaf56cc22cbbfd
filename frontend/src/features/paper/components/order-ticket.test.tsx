import { fireEvent, screen, waitFor } from '@testing-library/react';

import { OrderTicket } from '@/features/paper/components/order-ticket';
import { setActiveTenant } from '@/shared/tenant/tenant-store';
import { FakeSocket } from '@/testing/fake-socket';
import { renderWithProviders, stubApi } from '@/testing/test-utils';

const instruments = [
  { exchange: 'sim', symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.0001', min_notional: '5' },
  { exchange: 'sim', symbol: 'ETH-USDT', base: 'ETH', quote: 'USDT', tick_size: '0.01', lot_size: '0.001', min_notional: null },
  { exchange: 'okx', symbol: 'DOGE-USDT', base: 'DOGE', quote: 'USDT', tick_size: '0.00001', lot_size: '1', min_notional: null },
];

/** The page's one push socket (the push client is a module singleton: later tests reuse it). */
function pushSocket(): FakeSocket {
  const socket = FakeSocket.instances[FakeSocket.instances.length - 1]!;
  if (socket.readyState !== FakeSocket.OPEN) socket.open();
  return socket;
}

describe('OrderTicket', () => {
  beforeEach(() => {
    document.cookie = 'csrftoken=test-csrf';
    setActiveTenant('7');
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => setActiveTenant(null));

  it('rejects a quantity off the lot size without calling the API', async () => {
    const fetchMock = stubApi({ 'GET /api/v1/market/instruments': { body: instruments } });
    renderWithProviders(<OrderTicket accountId={3} />);
    await screen.findByText('tick 0.01 · lot 0.0001');

    fireEvent.change(screen.getByLabelText(/^Quantity/), { target: { value: '0.00015' } });
    fireEvent.click(screen.getByRole('button', { name: 'Place buy order' }));

    expect(await screen.findByText('Quantity must be a multiple of the lot size 0.0001.')).toBeInTheDocument();
    expect(fetchMock.mock.calls.every(([input]) => (input as Request).method === 'GET')).toBe(true);
  });

  it("shows the market's minimum order value beside the quantity and refuses a limit order below it", async () => {
    const fetchMock = stubApi({ 'GET /api/v1/market/instruments': { body: instruments } });
    renderWithProviders(<OrderTicket accountId={3} exchange="sim" />);
    await screen.findByText('tick 0.01 · lot 0.0001');
    expect(screen.getByText('min order value 5 USDT')).toBeInTheDocument();
    // Only the account's exchange is offered.
    expect(screen.queryByRole('option', { name: 'DOGE-USDT' })).not.toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'limit' } });
    fireEvent.change(screen.getByLabelText(/^Quantity/), { target: { value: '0.0001' } });
    fireEvent.change(screen.getByLabelText('Limit price'), { target: { value: '40000.00' } });
    expect(screen.getByText(/this order ≈ 4 USDT/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Place buy order' }));

    expect(await screen.findByText('Order value 4 USDT is below the minimum of 5 USDT.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Quantity/)).toHaveAttribute('aria-invalid', 'true');
    expect(fetchMock.mock.calls.every(([input]) => (input as Request).method === 'GET')).toBe(true);

    // A market without a minimum says so.
    fireEvent.change(screen.getByLabelText('Instrument'), { target: { value: 'ETH-USDT' } });
    expect(await screen.findByText(/^no minimum order value/)).toBeInTheDocument();
  });

  it('values a market order at the live last price for the minimum', async () => {
    const fetchMock = stubApi({
      'GET /api/v1/market/instruments': { body: instruments },
      'POST /api/v1/accounts/3/orders': { status: 201, body: { id: '3:1', status: 'filled', side: 'buy', qty: '0.0001', symbol: 'BTC-USDT' } },
    });
    renderWithProviders(<OrderTicket accountId={3} exchange="sim" />);
    await screen.findByText('tick 0.01 · lot 0.0001');
    const socket = pushSocket();
    await waitFor(() => expect(socket.sent).toContainEqual({ type: 'subscribe', channel: 'ticker', exchange: 'sim', symbol: 'BTC-USDT' }));
    socket.receive({ type: 'update', channel: 'ticker:sim:BTC-USDT', data: { close: '49000.00', closed: false } });

    fireEvent.change(screen.getByLabelText(/^Quantity/), { target: { value: '0.0001' } });
    await screen.findByText(/this order ≈ 4.9 USDT/);
    fireEvent.click(screen.getByRole('button', { name: 'Place buy order' }));
    expect(
      await screen.findByText('Order value 4.9 USDT at the last price 49000.00 is below the minimum of 5 USDT.'),
    ).toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([input]) => (input as Request).method === 'POST')).toBe(false);

    // The price moves up: the same order is now worth 5.1 and goes out.
    socket.receive({ type: 'update', channel: 'ticker:sim:BTC-USDT', data: { close: '51000.00', closed: false } });
    await screen.findByText(/this order ≈ 5.1 USDT/);
    fireEvent.click(screen.getByRole('button', { name: 'Place buy order' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Order filled: buy 0.0001 BTC-USDT');
  });

  it('asks for the stop and limit prices of a stop-limit order and posts it with CSRF and tenant headers', async () => {
    let posted: { body: unknown; csrf: string | null; tenant: string | null } | null = null;
    stubApi({
      'GET /api/v1/market/instruments': { body: instruments },
      'POST /api/v1/accounts/3/orders': (request) => {
        posted = { body: null, csrf: request.headers.get('X-CSRFToken'), tenant: request.headers.get('X-Tenant') };
        void request.clone().json().then((body) => posted && (posted.body = body));
        return { status: 201, body: { id: 'o1', status: 'new', side: 'sell', qty: '0.5', symbol: 'ETH-USDT' } };
      },
    });
    renderWithProviders(<OrderTicket accountId={3} />);
    await screen.findByText('tick 0.01 · lot 0.0001');

    fireEvent.change(screen.getByLabelText('Instrument'), { target: { value: 'ETH-USDT' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sell' }));
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'stop_limit' } });
    fireEvent.change(screen.getByLabelText(/^Quantity/), { target: { value: '0.5' } });
    fireEvent.change(screen.getByLabelText('Stop price'), { target: { value: '3000.10' } });
    fireEvent.change(screen.getByLabelText('Limit price'), { target: { value: '2999.5' } });
    fireEvent.click(screen.getByLabelText('Reduce-only'));
    fireEvent.click(screen.getByRole('button', { name: 'Place sell order' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Order new: sell 0.5 ETH-USDT');
    await waitFor(() => expect(posted?.body).toBeTruthy());
    expect(posted).toEqual({
      csrf: 'test-csrf',
      tenant: '7',
      body: {
        symbol: 'ETH-USDT', side: 'sell', type: 'stop_limit', tif: 'gtc', qty: '0.5',
        price: '2999.5', stop_price: '3000.10', reduce_only: true, client_order_id: expect.stringMatching(/^web-/),
      },
    });
  });

  it('retries with the same client_order_id after the engine did not answer', async () => {
    const ids: string[] = [];
    let attempt = 0;
    stubApi({
      'GET /api/v1/market/instruments': { body: instruments },
      'POST /api/v1/accounts/3/orders': (request) => {
        void request.clone().json().then((body: { client_order_id: string }) => ids.push(body.client_order_id));
        attempt += 1;
        return attempt === 1
          ? { status: 503, body: { error: { code: 'engine_unavailable', message: 'The paper trading engine did not answer.' } } }
          : { status: 201, body: { id: 'o2', status: 'filled', side: 'buy', qty: '1', symbol: 'BTC-USDT' } };
      },
    });
    renderWithProviders(<OrderTicket accountId={3} />);
    await screen.findByText('tick 0.01 · lot 0.0001');

    fireEvent.change(screen.getByLabelText(/^Quantity/), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Place buy order' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The paper trading engine did not answer.');
    fireEvent.click(screen.getByRole('button', { name: 'Place buy order' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Order filled');
    await waitFor(() => expect(ids).toHaveLength(2));
    expect(ids[0]).toBe(ids[1]);
  });

  it('shows the engine rejection message from the API', async () => {
    stubApi({
      'GET /api/v1/market/instruments': { body: instruments },
      'POST /api/v1/accounts/3/orders': {
        status: 422,
        body: { error: { code: 'insufficient_balance', message: 'Not enough USDT for this order.' } },
      },
    });
    renderWithProviders(<OrderTicket accountId={3} />);
    await screen.findByText('tick 0.01 · lot 0.0001');

    fireEvent.change(screen.getByLabelText(/^Quantity/), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Place buy order' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Not enough USDT for this order.');
  });
});
