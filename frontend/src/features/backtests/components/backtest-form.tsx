import { type FormEvent, useState } from 'react';

import { type BacktestInput, useCreateBacktest } from '@/features/backtests/api/create-backtest';
import type { Backtest } from '@/features/backtests/api/get-backtests';
import { useBacktestInstruments } from '@/features/backtests/api/get-instruments';
import { type ReferenceStrategy, useReferenceStrategies } from '@/features/backtests/api/get-reference-strategies';
import { ErrorMessage } from '@/shared/components/error-message';

const INTERVALS = ['1m', '5m', '15m', '30m', '1h', '4h', '1d'];

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Numeric params within the strategy's declared bounds; returns the first problem or null. */
export function paramProblem(strategy: ReferenceStrategy, params: Record<string, string>): string | null {
  for (const spec of strategy.params) {
    const raw = params[spec.name] ?? String(spec.default);
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) return `${spec.name} must be a number.`;
    if (spec.type === 'int' && !Number.isInteger(value)) return `${spec.name} must be a whole number.`;
    if (spec.min !== undefined && value < spec.min) return `${spec.name} must be at least ${spec.min}.`;
    if (spec.max !== undefined && value > spec.max) return `${spec.name} must be at most ${spec.max}.`;
  }
  return null;
}

export function BacktestForm({ onQueued }: { onQueued: (backtest: Backtest) => void }) {
  const strategies = useReferenceStrategies();
  const instruments = useBacktestInstruments();
  const create = useCreateBacktest();
  const [strategyName, setStrategyName] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const [symbol, setSymbol] = useState('');
  const [interval, setInterval] = useState('1h');
  const [start, setStart] = useState(() => isoDay(Date.now() - 30 * 86_400_000));
  const [end, setEnd] = useState(() => isoDay(Date.now()));
  const [cash, setCash] = useState('10000');
  const [commission, setCommission] = useState('0.001');
  const [slippageBps, setSlippageBps] = useState('0');
  const [simulations, setSimulations] = useState('1000');
  const [problem, setProblem] = useState<string | null>(null);

  const strategy = strategies.data?.find((s) => s.name === strategyName) ?? strategies.data?.[0];
  const instrument = instruments.data?.find((i) => i.symbol === symbol) ?? instruments.data?.[0];

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!strategy || !instrument) return;
    const found = paramProblem(strategy, params)
      ?? (start > end ? 'The start date must be before the end date.' : null)
      ?? (!/^\d+$/.test(simulations) || Number(simulations) > 10_000 ? 'Monte Carlo runs must be a whole number from 0 to 10,000.' : null);
    setProblem(found);
    if (found) return;
    const input: BacktestInput = {
      strategy: strategy.name,
      params: Object.fromEntries(strategy.params.map((p) => [p.name, Number(params[p.name] ?? p.default)])),
      exchange: instrument.exchange,
      symbol: instrument.symbol,
      interval,
      start: `${start}T00:00:00Z`,
      end: `${end}T23:59:59Z`,
      cash,
      commission,
      slippage_bps: slippageBps,
      monte_carlo_simulations: Number(simulations),
    };
    create.mutate(input, { onSuccess: (backtest) => onQueued(backtest) });
  }

  return (
    <form onSubmit={handleSubmit} className="card flex flex-col gap-3 text-sm" aria-label="New backtest">
      <h3 className="font-semibold">New backtest</h3>
      <ErrorMessage error={strategies.error} />
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
        <label className="flex flex-col gap-1">
          Strategy
          <select className="input" value={strategy?.name ?? ''} onChange={(e) => { setStrategyName(e.target.value); setParams({}); }}>
            {(strategies.data ?? []).map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Market
          <select className="input" value={instrument?.symbol ?? ''} onChange={(e) => setSymbol(e.target.value)}>
            {(instruments.data ?? []).map((i) => <option key={`${i.exchange}:${i.symbol}`} value={i.symbol}>{i.symbol} ({i.exchange})</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Interval
          <select className="input" value={interval} onChange={(e) => setInterval(e.target.value)}>
            {INTERVALS.map((i) => <option key={i}>{i}</option>)}
          </select>
        </label>
      </div>
      {strategy && <p className="text-xs text-muted">{strategy.description}</p>}
      {strategy && strategy.params.length > 0 && (
        <fieldset className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <legend className="mb-1 text-xs uppercase text-muted">Parameters</legend>
          {strategy.params.map((p) => (
            <label key={p.name} className="flex flex-col gap-1" title={p.description}>
              {p.name}
              <input className="input font-mono" inputMode="decimal" value={params[p.name] ?? String(p.default)}
                onChange={(e) => setParams((current) => ({ ...current, [p.name]: e.target.value }))} />
            </label>
          ))}
        </fieldset>
      )}
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-6">
        <label className="flex flex-col gap-1">From<input className="input" type="date" value={start} onChange={(e) => setStart(e.target.value)} /></label>
        <label className="flex flex-col gap-1">To<input className="input" type="date" value={end} onChange={(e) => setEnd(e.target.value)} /></label>
        <label className="flex flex-col gap-1">Cash<input className="input font-mono" value={cash} onChange={(e) => setCash(e.target.value)} /></label>
        <label className="flex flex-col gap-1">Commission<input className="input font-mono" value={commission} onChange={(e) => setCommission(e.target.value)} /></label>
        <label className="flex flex-col gap-1">Slippage (bps)<input className="input font-mono" value={slippageBps} onChange={(e) => setSlippageBps(e.target.value)} /></label>
        <label className="flex flex-col gap-1" title="Trade-resampling runs for the Monte Carlo distribution (0 skips it)">
          Monte Carlo runs<input className="input font-mono" inputMode="numeric" value={simulations} onChange={(e) => setSimulations(e.target.value)} />
        </label>
      </div>
      {problem && <p role="alert" className="text-down">{problem}</p>}
      <ErrorMessage error={create.error} />
      <div>
        <button type="submit" className="btn-primary" disabled={create.isPending || !strategy || !instrument}>
          {create.isPending ? 'Queuing…' : 'Run backtest'}
        </button>
      </div>
    </form>
  );
}
