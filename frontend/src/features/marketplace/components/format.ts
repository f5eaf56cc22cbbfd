/** "Free", or the monthly price in the listing's currency ("$9.00 / month"). */
export function formatPrice(cents: number | undefined, currency = 'usd'): string {
  if (!cents) return 'Free';
  let amount: string;
  try {
    amount = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
  } catch {
    amount = `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
  return `${amount} / month`;
}

/** A fraction as a signed percentage (0.123 -> "+12.3%"); null -> an em dash. */
export function formatReturn(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
}

/** A drawdown fraction as a falling percentage (0.22 -> "−22.0%"). */
export function formatDrawdown(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `−${(Math.abs(value) * 100).toFixed(1)}%`;
}

export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(2);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
}

/** "★★★★☆" for 4 (rounded to whole stars). */
export function stars(value: number): string {
  const whole = Math.max(0, Math.min(5, Math.round(value)));
  return '★'.repeat(whole) + '☆'.repeat(5 - whole);
}
