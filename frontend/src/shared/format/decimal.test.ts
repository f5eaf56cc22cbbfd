import { formatPercent, isDecimalString, isMultipleOf } from '@/shared/format/decimal';

describe('isMultipleOf', () => {
  it.each([
    ['0.3', '0.1', true],
    ['97000.15', '0.01', true],
    ['97000.155', '0.01', false],
    ['0.0015', '0.001', false],
    ['2', '0.5', true],
    ['1.00', '0.10000000', true],
  ])('%s on step %s -> %s', (value, step, expected) => {
    expect(isMultipleOf(value, step)).toBe(expected);
  });
});

describe('formatting', () => {
  it('validates decimal strings', () => {
    expect(isDecimalString('1.5')).toBe(true);
    expect(isDecimalString('1e5')).toBe(false);
    expect(isDecimalString('')).toBe(false);
  });
  it('signs percentages', () => {
    expect(formatPercent('1.234')).toBe('+1.23%');
    expect(formatPercent('-0.5')).toBe('-0.50%');
  });
});
