import { type TicketValues, ticketToOrder, validateTicket } from '@/features/paper/components/validate-order';

const btc = { exchange: 'sim', symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.0001' };
const base: TicketValues = {
  symbol: 'BTC-USDT', side: 'buy', type: 'market', tif: 'ioc', qty: '0.01', price: '', stopPrice: '', reduceOnly: false,
};

describe('validateTicket', () => {
  it('accepts a market order on the lot size', () => {
    expect(validateTicket(base, btc)).toEqual({});
  });

  it('rejects quantities off the lot size and non-numbers', () => {
    expect(validateTicket({ ...base, qty: '0.00015' }, btc).qty).toBe('Quantity must be a multiple of the lot size 0.0001.');
    expect(validateTicket({ ...base, qty: 'abc' }, btc).qty).toBe('Quantity must be a positive number.');
    expect(validateTicket({ ...base, qty: '0' }, btc).qty).toBe('Quantity must be a positive number.');
  });

  it('requires prices on the tick for limit and stop-limit orders', () => {
    expect(validateTicket({ ...base, type: 'limit', tif: 'gtc', price: '97000.005' }, btc).price).toBe(
      'Limit price must be a multiple of the tick size 0.01.',
    );
    const stopLimit = validateTicket({ ...base, type: 'stop_limit', tif: 'gtc', price: '97000.01', stopPrice: '' }, btc);
    expect(stopLimit).toEqual({ stopPrice: 'Stop price must be a positive number.' });
  });

  it('allows post-only only on limit orders', () => {
    expect(validateTicket({ ...base, tif: 'post_only' }, btc).tif).toBeDefined();
    expect(validateTicket({ ...base, type: 'limit', tif: 'post_only', price: '1.00' }, btc)).toEqual({});
  });

  it('asks for an instrument', () => {
    expect(validateTicket(base, undefined)).toEqual({ symbol: 'Pick an instrument.' });
  });
});

describe('ticketToOrder', () => {
  it('sends only the fields the order type uses', () => {
    expect(ticketToOrder({ ...base, price: '5', stopPrice: '6' })).toEqual({
      symbol: 'BTC-USDT', side: 'buy', type: 'market', tif: 'ioc', qty: '0.01', reduce_only: false,
    });
    expect(ticketToOrder({ ...base, type: 'stop_limit', price: '5', stopPrice: '6' })).toMatchObject({ price: '5', stop_price: '6' });
  });
});
