import type { ManifestParam } from '@/features/deployments/api/types';

export type SizingMode = 'fixed_fraction' | 'volatility_target' | 'kelly_cap';

/** The sizing modes and their parameters, as backend/engine/live/sizing.py checks them. */
export const SIZING_MODES: { mode: SizingMode; label: string; help: string; params: ManifestParam[] }[] = [
  {
    mode: 'fixed_fraction',
    label: 'Fixed fraction',
    help: "The strategy's exposure times a fraction of account equity (1 = exactly what a backtest does).",
    params: [{ name: 'fraction', type: 'float', default: 1, min: 0, max: 1, description: 'of equity (0.5 = 50 %)' }],
  },
  {
    mode: 'volatility_target',
    label: 'ATR volatility target',
    help: 'Sized so a one-ATR move changes equity by risk_per_atr, capped at max_fraction of equity.',
    params: [
      { name: 'risk_per_atr', type: 'float', default: 0.01, min: 0.0001, max: 1, description: 'equity risked per ATR (0.01 = 1 %)' },
      { name: 'max_fraction', type: 'float', default: 1, min: 0, max: 1, description: 'largest position, of equity' },
      { name: 'atr_bars', type: 'int', default: 14, min: 2, max: 500, description: 'bars in the ATR' },
    ],
  },
  {
    mode: 'kelly_cap',
    label: 'Capped Kelly',
    help: 'Exposure capped at the Kelly fraction of the edge you state (win rate and payoff), scaled and capped.',
    params: [
      { name: 'win_rate', type: 'float', default: 0.55, min: 0, max: 1, description: 'share of winning trades' },
      { name: 'payoff', type: 'float', default: 1.5, min: 0.0001, max: 1000, description: 'average win / average loss' },
      { name: 'scale', type: 'float', default: 0.5, min: 0, max: 1, description: 'fraction of full Kelly' },
      { name: 'cap', type: 'float', default: 0.25, min: 0, max: 1, description: 'largest exposure' },
    ],
  },
];

export function sizingMode(mode: string) {
  return SIZING_MODES.find((m) => m.mode === mode) ?? SIZING_MODES[0]!;
}

/** Stops: fractions of the entry price (stop-loss, take-profit) or of peak equity (max drawdown). */
export const STOPS = [
  { name: 'stop_loss', label: 'Stop-loss', max: 1, help: 'below the entry price (0.05 = 5 %)' },
  { name: 'take_profit', label: 'Take-profit', max: 10, help: 'above the entry price (0.1 = 10 %)' },
  { name: 'max_drawdown', label: 'Max drawdown', max: 1, help: 'from peak equity: flatten and stop (0.2 = 20 %)' },
] as const;

export type StopName = (typeof STOPS)[number]['name'];

/** A stop's problem (blank = off), or null. */
export function stopProblem(raw: string, max: number): string | null {
  const text = raw.trim();
  if (text === '') return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return 'Must be a number (a fraction: 0.05 = 5 %).';
  if (value <= 0 || value > max) return `Must be above 0 and at most ${max}.`;
  return null;
}
