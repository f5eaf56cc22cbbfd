import { type TicketValues, orderValue, ticketToOrder, validateTicket } from '@/features/paper/components/validate-order';

const btc = {
  exchange: 'sim', symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.0001', min_notional: '5',
};
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
    expect(validateTicket({ ...base, type: 'limit', tif: 'post_only', price: '1000.00' }, btc)).toEqual({});
  });

  it('refuses a limit or stop order worth less than the minimum notional, at its own price', () => {
    // 0.0001 x 40000 = 4 USDT < 5
    const small = { ...base, type: 'limit' as const, tif: 'gtc' as const, qty: '0.0001', price: '40000.00' };
    expect(validateTicket(small, btc).qty).toBe('Order value 4 USDT is below the minimum of 5 USDT.');
    // exactly the minimum passes: 0.0001 x 50000 = 5
    expect(validateTicket({ ...small, price: '50000.00' }, btc)).toEqual({});
    expect(validateTicket({ ...small, type: 'stop_market', price: '', stopPrice: '49999.99' }, btc).qty).toBe(
      'Order value 4.999999 USDT is below the minimum of 5 USDT.',
    );
    // stop-limit: valued at its limit price, not its stop
    expect(validateTicket({ ...small, type: 'stop_limit', price: '50000.00', stopPrice: '40000.00' }, btc)).toEqual({});
  });

  it('values a market order at the last price, and leaves it to the API while no price is known', () => {
    const market = { ...base, qty: '0.0001' };
    expect(validateTicket(market, btc, '49000.5').qty).toBe(
      'Order value 4.90005 USDT at the last price 49000.5 is below the minimum of 5 USDT.',
    );
    expect(validateTicket(market, btc, '60000')).toEqual({});
    expect(validateTicket(market, btc, undefined)).toEqual({});
  });

  it('skips the check on markets without a minimum', () => {
    const small = { ...base, type: 'limit' as const, tif: 'gtc' as const, qty: '0.0001', price: '1.00' };
    expect(validateTicket(small, { ...btc, min_notional: null })).toEqual({});
  });

  it('reports the lot error first rather than the minimum', () => {
    expect(validateTicket({ ...base, qty: '0.00001' }, btc, '60000').qty).toBe('Quantity must be a multiple of the lot size 0.0001.');
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

describe('orderValue', () => {
  it('is exact', () => {
    expect(orderValue({ ...base, qty: '0.0003' }, '0.1')).toBe('0.00003');
    expect(orderValue({ ...base, type: 'limit', qty: '3', price: '0.1' })).toBe('0.3');
    expect(orderValue({ ...base, qty: 'x' }, '1')).toBeNull();
  });
});
