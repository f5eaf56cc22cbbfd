// Fixtures shared by this feature's tests (API shapes as the backend sends them).
import type { CatalogueEntry, Deployment } from '@/features/deployments/api/types';

export const smaCross: CatalogueEntry = {
  kind: 'builtin', name: 'sma_cross', version: '1.0.0', description: 'Long while the fast SMA is above the slow one.',
  sha256: 'a'.repeat(64), listing: null, listing_name: null, listing_version: null,
  manifest: {
    name: 'sma_cross', version: '1.0.0', description: 'SMA cross', warmup_bars: 30, intervals: ['1m', '5m', '1h'],
    params: [
      { name: 'fast', type: 'int', default: 10, min: 2, max: 500, description: 'bars' },
      { name: 'slow', type: 'int', default: 30, min: 2, max: 1000, description: 'bars' },
      { name: 'allow_short', type: 'int', default: 0, min: 0, max: 1, description: '1: go short on the opposite signal, 0: stay flat' },
    ],
  },
};

export const rsi: CatalogueEntry = {
  ...smaCross, name: 'rsi', description: 'RSI levels',
  manifest: { ...smaCross.manifest, name: 'rsi', intervals: ['1m', '1h'], params: [{ name: 'period', type: 'float', default: 14, min: 2, max: 200 }] },
};

export const trendRider: CatalogueEntry = {
  ...smaCross, kind: 'listing', name: 'trend_rider', version: '2.1.0', description: 'A marketplace trend follower.',
  listing: 'trend-rider', listing_name: 'Trend rider', listing_version: 41,
  manifest: { ...smaCross.manifest, name: 'trend_rider', version: '2.1.0', intervals: ['5m', '1h'], params: [{ name: 'lookback', type: 'int', default: 50, min: 5, max: 400 }] },
};

export const account = {
  id: 3, name: 'Main', exchange: 'sim', currency: 'USDT', starting_balance: '10000', maker_fee: '0.001', taker_fee: '0.001',
  margin: false, leverage: '1', risk_limits: {}, kill_switch: false, breaker_tripped: false,
  created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z',
};

export const instruments = [
  { exchange: 'sim', symbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.00001' },
  { exchange: 'sim', symbol: 'ETH-USDT', base: 'ETH', quote: 'USDT', tick_size: '0.01', lot_size: '0.0001' },
  { exchange: 'sim', symbol: 'ETH-BTC', base: 'ETH', quote: 'BTC', tick_size: '0.00001', lot_size: '0.001' },
];

export function deploymentOf(changes: Partial<Deployment> = {}): Deployment {
  return {
    id: 7, name: 'BTC trend', exchange: 'sim', symbol: 'BTC-USDT', interval: '1m', account: 3,
    members: [{ kind: 'builtin', ref: 'sma_cross', name: 'sma_cross', version: '1.0.0', params: { fast: 5, slow: 20, allow_short: 0 }, weight: 1 }],
    sizing: 'fixed_fraction', sizing_params: { fraction: 0.5 }, stop_loss: 0.05, take_profit: null, max_drawdown: 0.2,
    status: 'running', error: null, target_exposure: 0.5, position_qty: '0.01', entry_price: '60000', last_bar_ms: 1_767_225_600_000,
    created_at: '2026-11-21T10:00:00Z', updated_at: '2026-11-21T10:00:00Z', started_at: '2026-11-21T10:00:00Z',
    realized_pnl: '12.5', fees: '0.5', unrealized_pnl: '3',
    ...changes,
  };
}
