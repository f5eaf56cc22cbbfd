import type { Deployment, Member } from '@/features/deployments/api/types';

/** "sma_cross 1.0.0", or "ensemble: rsi ×2, sma_cross ×1". */
export function strategyLabel(members: Member[]): string {
  const [only] = members;
  if (members.length === 1 && only) return `${only.name} ${only.version}`;
  return `ensemble: ${members.map((m) => `${m.name} ×${m.weight}`).join(', ')}`;
}

export function isMarketplace(members: Member[]): boolean {
  return members.some((m) => m.kind === 'listing');
}

/** Realized − fees + unrealized, as a number, or null when the API could not price it. */
export function netPnl(d: Pick<Deployment, 'realized_pnl' | 'fees' | 'unrealized_pnl'>): number | null {
  if (d.realized_pnl === null || d.fees === null || d.unrealized_pnl === null) return null;
  return Number(d.realized_pnl) - Number(d.fees) + Number(d.unrealized_pnl);
}

export function formatPnl(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const text = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${value > 0 ? '+' : value < 0 ? '−' : ''}${text}`;
}

export function pnlClass(value: number | null): string {
  return value === null || value === 0 ? '' : value > 0 ? 'text-up' : 'text-down';
}

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toLocaleString();
}
