import type { ManifestParam } from '@/features/deployments/api/types';
import {
  defaultValues,
  enumOptions,
  fieldKind,
  paramErrors,
  paramPayload,
  paramProblem,
} from '@/features/deployments/components/manifest-params';

const fast: ManifestParam = { name: 'fast', type: 'int', default: 10, min: 2, max: 500, description: 'bars' };
const k: ManifestParam = { name: 'k', type: 'float', default: 2, min: 0.1, max: 10 };
const allowShort: ManifestParam = { name: 'allow_short', type: 'int', default: 0, min: 0, max: 1, description: '1: go short, 0: stay flat' };
const side: ManifestParam = { name: 'side', type: 'int', default: 1, min: 0, max: 2, description: '0: flat, 1: long only, 2: long/short' };
const flag: ManifestParam = { name: 'flag', type: 'bool', default: true };
const mode: ManifestParam = { name: 'mode', type: 'enum', default: 'ema', options: ['sma', { value: 'ema', label: 'Exponential' }] };

describe('fieldKind', () => {
  it('maps manifest types to inputs', () => {
    expect(fieldKind(fast)).toBe('int');
    expect(fieldKind(k)).toBe('float');
    expect(fieldKind(allowShort)).toBe('bool'); // an int switch 0..1
    expect(fieldKind(flag)).toBe('bool');
    expect(fieldKind(mode)).toBe('enum');
    expect(fieldKind(side)).toBe('enum'); // every value of 0..2 is named in the description
    expect(fieldKind({ ...side, description: '0: flat, 1: long only' })).toBe('int'); // 2 is not named
    expect(fieldKind({ ...fast, description: '2: a, 3: b' })).toBe('int'); // far too many values
  });

  it('lists enum options from `options` or the description', () => {
    expect(enumOptions(mode)).toEqual([{ value: 'sma', label: 'sma' }, { value: 'ema', label: 'Exponential' }]);
    expect(enumOptions(side).map((o) => o.label)).toEqual(['0: flat', '1: long only', '2: long/short']);
  });
});

describe('defaults, validation and payload', () => {
  const params = [fast, k, allowShort, side, flag];

  it('starts from the defaults', () => {
    expect(defaultValues(params)).toEqual({ fast: '10', k: '2', allow_short: '0', side: '1', flag: '1' });
    expect(paramErrors(params, {})).toEqual({});
    expect(paramPayload(params, {})).toEqual({ fast: 10, k: 2, allow_short: 0, side: 1, flag: 1 });
  });

  it('checks numbers, whole numbers and min/max', () => {
    expect(paramProblem(fast, 'x')).toBe('fast must be a number.');
    expect(paramProblem(fast, '')).toBe('fast must be a number.');
    expect(paramProblem(fast, '2.5')).toBe('fast must be a whole number.');
    expect(paramProblem(fast, '1')).toBe('fast must be at least 2.');
    expect(paramProblem(fast, '501')).toBe('fast must be at most 500.');
    expect(paramProblem(k, '0.05')).toBe('k must be at least 0.1.');
    expect(paramProblem(k, '2.5')).toBeNull();
    expect(paramProblem(side, '7')).toBe('Choose one of the values of side.');
    expect(paramErrors(params, { fast: '1', k: '11' })).toEqual({ fast: 'fast must be at least 2.', k: 'k must be at most 10.' });
  });

  it('sends what was typed as numbers', () => {
    expect(paramPayload(params, { fast: ' 7 ', k: '0.5', allow_short: '1', side: '2' })).toEqual({
      fast: 7, k: 0.5, allow_short: 1, side: 2, flag: 1,
    });
  });
});
