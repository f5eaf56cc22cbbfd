import { addTrades, tradeFromPush } from '@/features/markets/api/use-recent-trades';

describe('recent trades', () => {
  it('parses the pushed trade batch rows', () => {
    expect(tradeFromPush(['sim', 'BTC-USDT', 17, 1000, '85067.69', '0.02805', 'buy', 1001])).toEqual({
      id: 17, time: 1000, price: '85067.69', qty: '0.02805', side: 'buy',
    });
    expect(tradeFromPush({})).toBeNull();
  });

  it('keeps the newest first without duplicates', () => {
    const t = (id: number) => ({ id, time: id, price: '1', qty: '1', side: 'buy' });
    expect(addTrades([t(2), t(1)], [t(2), t(4), t(3)]).map((x) => x.id)).toEqual([4, 3, 2, 1]);
  });
});
