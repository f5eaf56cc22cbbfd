/** "21 Nov 2026, 15:04:05" in the browser's locale; '—' for none. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** "in 4 min" / "12 s ago", for retries and last-fired times. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const unit = abs < 60_000 ? [1_000, 's'] : abs < 3_600_000 ? [60_000, 'min'] : abs < 86_400_000 ? [3_600_000, 'h'] : [86_400_000, 'd'];
  const n = Math.max(0, Math.round(abs / (unit[0] as number)));
  return diff >= 0 ? `in ${n} ${unit[1]}` : `${n} ${unit[1]} ago`;
}

/** A firing's numbers (price, value) from its `values` object, for the history table. */
export function firingNumber(values: unknown, key: 'price' | 'value'): string {
  if (!values || typeof values !== 'object') return '—';
  const v = (values as Record<string, unknown>)[key];
  return typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 8 }) : '—';
}
