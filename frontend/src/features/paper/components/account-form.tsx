import { type FormEvent, useState } from 'react';

import { type AccountInput, useCreateAccount } from '@/features/paper/api/create-account';
import type { Account } from '@/features/paper/api/get-accounts';
import { ErrorMessage } from '@/shared/components/error-message';
import { isDecimalString } from '@/shared/format/decimal';

type RiskField = 'max_order_notional' | 'max_position_notional' | 'max_open_orders' | 'max_daily_loss' | 'max_drawdown';
const RISK_FIELDS: { key: RiskField; label: string; hint: string }[] = [
  { key: 'max_order_notional', label: 'Max order notional', hint: 'quote currency' },
  { key: 'max_position_notional', label: 'Max position notional', hint: 'per symbol' },
  { key: 'max_open_orders', label: 'Max open orders', hint: 'count' },
  { key: 'max_daily_loss', label: 'Max daily loss', hint: 'quote currency' },
  { key: 'max_drawdown', label: 'Max drawdown', hint: 'fraction, 0.2 = 20 %' },
];

/** Empty risk fields mean "no limit", so only filled ones are sent. */
export function riskLimitsFrom(values: Partial<Record<RiskField, string>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const { key } of RISK_FIELDS) {
    const value = values[key]?.trim();
    if (!value) continue;
    out[key] = key === 'max_open_orders' ? Number(value) : value;
  }
  return out;
}

export function AccountForm({ onCreated }: { onCreated: (account: Account) => void }) {
  const create = useCreateAccount();
  const [name, setName] = useState('');
  const [startingBalance, setStartingBalance] = useState('10000');
  const [makerFee, setMakerFee] = useState('0.001');
  const [takerFee, setTakerFee] = useState('0.001');
  const [risk, setRisk] = useState<Partial<Record<RiskField, string>>>({});
  const [localError, setLocalError] = useState<string | null>(null);

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const decimals = [startingBalance, makerFee, takerFee, ...Object.values(risk).filter(Boolean)] as string[];
    if (!name.trim()) return setLocalError('Give the account a name.');
    if (!decimals.every((d) => isDecimalString(d))) return setLocalError('Balances, fees and limits must be plain positive numbers.');
    setLocalError(null);
    const input: AccountInput = {
      name: name.trim(),
      exchange: 'sim',
      currency: 'USDT',
      starting_balance: startingBalance,
      maker_fee: makerFee,
      taker_fee: takerFee,
      margin: false,
      leverage: '1',
      risk_limits: riskLimitsFrom(risk),
    };
    create.mutate(input, { onSuccess: (account) => onCreated(account) });
  }

  return (
    <form onSubmit={handleSubmit} className="card flex flex-col gap-3 text-sm" aria-label="Create account">
      <h3 className="font-semibold">New paper account</h3>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-4">
        <label className="flex flex-col gap-1">Name<input className="input" value={name} onChange={(e) => setName(e.target.value)} /></label>
        <label className="flex flex-col gap-1">Starting balance (USDT)<input className="input font-mono" value={startingBalance} onChange={(e) => setStartingBalance(e.target.value)} /></label>
        <label className="flex flex-col gap-1">Maker fee<input className="input font-mono" value={makerFee} onChange={(e) => setMakerFee(e.target.value)} /></label>
        <label className="flex flex-col gap-1">Taker fee<input className="input font-mono" value={takerFee} onChange={(e) => setTakerFee(e.target.value)} /></label>
      </div>
      <fieldset className="grid grid-cols-1 gap-2 sm:grid-cols-5">
        <legend className="mb-1 text-xs uppercase text-muted">Risk limits (optional)</legend>
        {RISK_FIELDS.map((field) => (
          <label key={field.key} className="flex flex-col gap-1">
            {field.label}
            <input className="input font-mono" placeholder={field.hint} value={risk[field.key] ?? ''}
              onChange={(e) => setRisk((current) => ({ ...current, [field.key]: e.target.value }))} />
          </label>
        ))}
      </fieldset>
      {localError && <p role="alert" className="text-down">{localError}</p>}
      <ErrorMessage error={create.error} />
      <div>
        <button type="submit" className="btn-primary" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create account'}</button>
      </div>
    </form>
  );
}
