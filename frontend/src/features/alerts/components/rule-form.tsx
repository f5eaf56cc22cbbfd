import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';

import { type RuleInput, useCreateRule } from '@/features/alerts/api/create-rule';
import { useAlertAccounts } from '@/features/alerts/api/get-accounts';
import { useEndpoints } from '@/features/alerts/api/get-endpoints';
import { useAlertInstruments } from '@/features/alerts/api/get-instruments';
import type { Rule } from '@/features/alerts/api/get-rules';
import { useUpdateRule } from '@/features/alerts/api/update-rule';
import {
  CONDITIONS,
  type FieldSpec,
  type Source,
  buildCondition,
  conditionSpec,
  defaultValues,
  sourcesFor,
  valuesFromCondition,
} from '@/features/alerts/components/conditions';
import { ErrorMessage } from '@/shared/components/error-message';

export const RULE_INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d', '1w'] as const;
export const DEFAULT_TEMPLATE = '{symbol}: {rule} fired at {price} ({time})';
type Mode = NonNullable<RuleInput['mode']>;

const FAMILY_LABEL = { price: 'Price', kline: 'Candles and indicators', event: 'Platform events' } as const;

export type RuleFormState = {
  name: string;
  type: string;
  values: Record<string, string>;
  market: string; // "exchange:symbol"
  source: Source;
  interval: string;
  mode: Mode;
  cooldown: string;
  expires: string; // datetime-local, '' = never
  template: string;
  inApp: boolean;
  webhook: boolean;
  email: boolean;
};

export function initialState(rule?: Rule): RuleFormState {
  if (!rule) {
    return {
      name: '', type: 'price_cross', values: defaultValues('price_cross'), market: '', source: 'trade', interval: '1m',
      mode: 'every_time', cooldown: '300', expires: '', template: DEFAULT_TEMPLATE, inApp: true, webhook: true, email: false,
    };
  }
  const parsed = valuesFromCondition(rule.condition) ?? { type: 'price_cross', values: defaultValues('price_cross') };
  return {
    name: rule.name,
    type: parsed.type,
    values: parsed.values,
    market: rule.exchange && rule.symbol ? `${rule.exchange}:${rule.symbol}` : '',
    source: rule.source ?? 'trade',
    interval: rule.interval || '1m',
    mode: rule.mode ?? 'every_time',
    cooldown: String(rule.cooldown_s ?? 300),
    expires: rule.expires_at ? toLocalInput(rule.expires_at) : '',
    template: rule.message_template ?? DEFAULT_TEMPLATE,
    inApp: rule.notify_in_app ?? true,
    webhook: rule.notify_webhook ?? true,
    email: rule.notify_email ?? false,
  };
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The form -> the API's rule, or the first problem to show. `market` falls back to the first instrument. */
export function ruleInputFrom(state: RuleFormState, fallbackMarket: string): { input: RuleInput } | { problem: string } {
  if (!state.name.trim()) return { problem: 'Give the rule a name.' };
  const built = buildCondition(state.type, state.values);
  if (!built.ok) return { problem: built.problem };
  const family = conditionSpec(state.type).family;
  const input: RuleInput = {
    name: state.name.trim(),
    condition: built.condition,
    mode: state.mode,
    cooldown_s: 0,
    expires_at: null,
    message_template: state.template.trim() || DEFAULT_TEMPLATE,
    notify_in_app: state.inApp,
    notify_webhook: state.webhook,
    notify_email: state.email,
  };
  if (family === 'event') {
    input.source = 'event';
  } else {
    const market = state.market || fallbackMarket;
    const [exchange, ...rest] = market.split(':');
    if (!exchange || rest.length === 0) return { problem: 'Choose a market.' };
    const allowed = sourcesFor(family).map((s) => s.value);
    const source = allowed.includes(state.source) ? state.source : (allowed[0] ?? 'live');
    input.exchange = exchange;
    input.symbol = rest.join(':');
    input.source = source;
    input.interval = source === 'trade' ? '' : state.interval;
  }
  if (state.mode === 'cooldown') {
    const seconds = Number(state.cooldown);
    if (!Number.isInteger(seconds) || seconds < 1) return { problem: 'Cooldown must be a whole number of seconds, at least 1.' };
    input.cooldown_s = seconds;
  }
  if (state.expires) {
    const at = new Date(state.expires);
    if (Number.isNaN(at.getTime())) return { problem: 'Expiry is not a valid date and time.' };
    if (at.getTime() <= Date.now()) return { problem: 'Expiry must be in the future.' };
    input.expires_at = at.toISOString();
  }
  return { input };
}

export function RuleForm({ rule, onDone }: { rule?: Rule; onDone?: (rule: Rule) => void }) {
  const instruments = useAlertInstruments();
  const endpoints = useEndpoints();
  const create = useCreateRule();
  const update = useUpdateRule();
  const [state, setState] = useState<RuleFormState>(() => initialState(rule));
  const [problem, setProblem] = useState<string | null>(null);
  const hintId = useId();
  const mutation = rule ? update : create;

  const spec = conditionSpec(state.type);
  const sources = sourcesFor(spec.family);
  const source = sources.some((s) => s.value === state.source) ? state.source : (sources[0]?.value ?? 'live');
  const firstMarket = instruments.data?.[0] ? `${instruments.data[0].exchange}:${instruments.data[0].symbol}` : '';
  const alertEndpoints = (endpoints.data ?? []).filter((e) => e.is_enabled && e.event_types.includes('alert.fired'));
  const set = <K extends keyof RuleFormState>(key: K, value: RuleFormState[K]) => setState((s) => ({ ...s, [key]: value }));

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const out = ruleInputFrom({ ...state, source }, firstMarket);
    if ('problem' in out) return setProblem(out.problem);
    setProblem(null);
    const done = (saved: Rule) => {
      if (!rule) {
        setState((s) => ({ ...initialState(), type: s.type, values: s.values, market: s.market, source: s.source, interval: s.interval }));
      }
      onDone?.(saved);
    };
    if (rule) update.mutate({ id: rule.id, patch: out.input }, { onSuccess: done });
    else create.mutate(out.input, { onSuccess: done });
  }

  const title = rule ? `Edit rule “${rule.name}”` : 'New alert rule';
  return (
    <form onSubmit={handleSubmit} className="card flex flex-col gap-3 text-sm" aria-label={rule ? 'Edit alert rule' : 'New alert rule'} noValidate>
      <h3 className="font-semibold">{title}</h3>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
        <label className="flex flex-col gap-1">
          Name
          <input className="input" value={state.name} maxLength={100} onChange={(e) => set('name', e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 sm:col-span-2">
          Condition type
          <select className="input" value={state.type}
            onChange={(e) => setState((s) => ({ ...s, type: e.target.value, values: defaultValues(e.target.value) }))}>
            {(['price', 'kline', 'event'] as const).map((family) => (
              <optgroup key={family} label={FAMILY_LABEL[family]}>
                {CONDITIONS.filter((c) => c.family === family).map((c) => <option key={c.type} value={c.type}>{c.label}</option>)}
              </optgroup>
            ))}
          </select>
        </label>
      </div>

      {spec.family !== 'event' && (
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
          <label className="flex flex-col gap-1">
            Market
            <select className="input" value={state.market || firstMarket} onChange={(e) => set('market', e.target.value)}>
              {instruments.isPending && <option value="">Loading markets…</option>}
              {(instruments.data ?? []).map((i) => (
                <option key={`${i.exchange}:${i.symbol}`} value={`${i.exchange}:${i.symbol}`}>{i.symbol} ({i.exchange})</option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            Evaluate on
            <select className="input" value={source} onChange={(e) => set('source', e.target.value as Source)}>
              {sources.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
            </select>
          </label>
          {source !== 'trade' && (
            <label className="flex flex-col gap-1">
              Interval
              <select className="input" value={state.interval} onChange={(e) => set('interval', e.target.value)}>
                {RULE_INTERVALS.map((i) => <option key={i}>{i}</option>)}
              </select>
            </label>
          )}
        </div>
      )}
      <ErrorMessage error={instruments.error} title="Markets" />

      <fieldset className="grid grid-cols-1 gap-2 sm:grid-cols-4" aria-label="Condition settings">
        <legend className="mb-1 text-xs uppercase text-muted">{spec.label}</legend>
        {spec.fields.map((field) => (
          <ConditionField key={`${state.type}:${field.key}`} field={field} value={state.values[field.key] ?? ''}
            onChange={(value) => setState((s) => ({ ...s, values: { ...s.values, [field.key]: value } }))} />
        ))}
      </fieldset>

      <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
        <label className="flex flex-col gap-1">
          Trigger
          <select className="input" value={state.mode} onChange={(e) => set('mode', e.target.value as Mode)}>
            <option value="every_time">Every time it happens</option>
            <option value="once">Once (then the rule switches off)</option>
            <option value="cooldown">At most once per cooldown</option>
          </select>
        </label>
        {state.mode === 'cooldown' && (
          <label className="flex flex-col gap-1">
            Cooldown (seconds)
            <input className="input font-mono" inputMode="numeric" value={state.cooldown} onChange={(e) => set('cooldown', e.target.value)} />
          </label>
        )}
        <label className="flex flex-col gap-1">
          Expires (optional)
          <input className="input" type="datetime-local" value={state.expires} onChange={(e) => set('expires', e.target.value)} />
        </label>
      </div>

      <div className="flex flex-col gap-1">
        <label className="flex flex-col gap-1">
          Message
          <input className="input font-mono" value={state.template} maxLength={500} aria-describedby={hintId}
            onChange={(e) => set('template', e.target.value)} />
        </label>
        <span id={hintId} className="text-xs text-muted">Placeholders: {'{symbol} {exchange} {interval} {price} {value} {time} {rule}'}</span>
      </div>

      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-xs uppercase text-muted">Notify</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          <label className="flex items-center gap-2"><input type="checkbox" checked={state.inApp} onChange={(e) => set('inApp', e.target.checked)} />In the app</label>
          <label className="flex items-center gap-2"><input type="checkbox" checked={state.webhook} onChange={(e) => set('webhook', e.target.checked)} />Webhook endpoints</label>
          <label className="flex items-center gap-2"><input type="checkbox" checked={state.email} onChange={(e) => set('email', e.target.checked)} />Email</label>
        </div>
        {state.webhook && endpoints.data && (
          <p className="text-xs text-muted">
            {alertEndpoints.length > 0
              ? `Sent to ${alertEndpoints.length} enabled endpoint${alertEndpoints.length === 1 ? '' : 's'} subscribed to alert.fired: ${alertEndpoints.map((e) => e.url).join(', ')}.`
              : <>No enabled endpoint subscribes to alert.fired yet: <Link to="/alerts/webhooks">add one on the Webhooks tab</Link>.</>}
          </p>
        )}
      </fieldset>

      {problem && <p role="alert" className="text-down">{problem}</p>}
      <ErrorMessage error={mutation.error} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : rule ? 'Save changes' : 'Create rule'}
        </button>
      </div>
    </form>
  );
}

function ConditionField({ field, value, onChange }: { field: FieldSpec; value: string; onChange: (value: string) => void }) {
  const accounts = useAlertAccounts(field.kind === 'account');
  switch (field.kind) {
    case 'choice':
    case 'optional-choice':
      return (
        <label className="flex flex-col gap-1">
          {field.label}
          <select className="input" value={value} onChange={(e) => onChange(e.target.value)}>
            {field.kind === 'optional-choice' && <option value="">{field.anyLabel}</option>}
            {field.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </label>
      );
    case 'account':
      return (
        <label className="flex flex-col gap-1">
          {field.label}
          <select className="input" value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">{field.hint}</option>
            {(accounts.data ?? []).map((a) => <option key={a.id} value={String(a.id)}>{a.name} (#{a.id})</option>)}
            {value && !accounts.data?.some((a) => String(a.id) === value) && <option value={value}>#{value}</option>}
          </select>
        </label>
      );
    default:
      return (
        <label className="flex flex-col gap-1">
          {field.label}
          <input className="input font-mono" value={value} onChange={(e) => onChange(e.target.value)}
            inputMode={field.kind === 'optional-text' ? 'text' : 'decimal'}
            placeholder={'hint' in field ? field.hint : undefined} />
        </label>
      );
  }
}
