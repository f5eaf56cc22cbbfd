// Prices and quantities arrive as decimal strings; step checks use scaled BigInts so
// 0.1 + 0.2 style float error never rejects a valid order.

function decimals(value: string): number {
  const dot = value.indexOf('.');
  return dot === -1 ? 0 : value.length - dot - 1;
}

function scaled(value: string, places: number): bigint {
  const [whole = '0', fraction = ''] = value.split('.');
  const sign = whole.startsWith('-') ? -1n : 1n;
  const digits = whole.replace('-', '') + fraction.padEnd(places, '0').slice(0, places);
  return sign * BigInt(digits || '0');
}

export function isDecimalString(value: string): boolean {
  return /^\d+(\.\d+)?$/.test(value.trim());
}

/** True when `value` is a whole multiple of `step` (both positive decimal strings). */
export function isMultipleOf(value: string, step: string): boolean {
  const stepTrimmed = step.replace(/0+$/, '').replace(/\.$/, '');
  const places = Math.max(decimals(value), decimals(stepTrimmed));
  const stepScaled = scaled(stepTrimmed, places);
  if (stepScaled === 0n) return true;
  return scaled(value, places) % stepScaled === 0n;
}

export function formatDecimal(value: string | number | null | undefined, maxFractionDigits = 8): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return n.toLocaleString('en-US', { maximumFractionDigits: maxFractionDigits });
}

export function formatPercent(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  return `${n > 0 ? '+' : ''}${n.toFixed(2)}%`;
}

export function signClass(value: string | number | null | undefined): string {
  const n = Number(value);
  if (!Number.isFinite(n) || n === 0) return '';
  return n > 0 ? 'text-up' : 'text-down';
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString();
}
