import {
  compareExact,
  isExactDecimal,
  multiplyExact,
  subtractExact,
  unrealizedPnl,
} from '@/features/paper/components/exact-decimal';

describe('exact decimal arithmetic', () => {
  it('subtracts and multiplies without float error', () => {
    expect(subtractExact('0.3', '0.1')).toBe('0.2');
    expect(multiplyExact('0.1', '3')).toBe('0.3');
    expect(multiplyExact('0.00001', '65000.01')).toBe('0.6500001');
    expect(subtractExact('60000', '60000.25')).toBe('-0.25');
    expect(multiplyExact('-0.5', '-0.2')).toBe('0.1');
    expect(multiplyExact('123456789.123456789', '0')).toBe('0');
    expect(subtractExact('1.10', '1.1')).toBe('0');
  });

  it('keeps digits a float would lose', () => {
    // 2^53 + 1 units: a double rounds it to ...992.
    expect(multiplyExact('9007199254740993', '1')).toBe('9007199254740993');
    expect(subtractExact('9007199254740993.5', '0.5')).toBe('9007199254740993');
  });

  it('compares', () => {
    expect(compareExact('4.99', '5')).toBe(-1);
    expect(compareExact('5.000', '5')).toBe(0);
    expect(compareExact('-1', '-2')).toBe(1);
  });

  it('refuses anything but plain decimals', () => {
    expect(isExactDecimal('1e5')).toBe(false);
    expect(isExactDecimal('abc')).toBe(false);
    expect(isExactDecimal(null)).toBe(false);
    expect(isExactDecimal('-0.5')).toBe(true);
    expect(multiplyExact('1e5', '2')).toBeNull();
    expect(compareExact('', '2')).toBeNull();
  });

  it('computes unrealized P&L for longs and shorts', () => {
    expect(unrealizedPnl('0.02', '60000.00', '60123.45')).toBe('2.469');
    expect(unrealizedPnl('-0.5', '3400', '3390.1')).toBe('4.95');
    expect(unrealizedPnl('0.02', null, '60000')).toBeNull();
    expect(unrealizedPnl('0.02', '60000', undefined)).toBeNull();
  });
});
