import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';

import { type DeploymentInput, useCreateDeployment } from '@/features/deployments/api/create-deployment';
import { useDeployAccounts } from '@/features/deployments/api/get-accounts';
import { useCatalogue } from '@/features/deployments/api/get-catalogue';
import { useDeployInstruments } from '@/features/deployments/api/get-instruments';
import type { CatalogueEntry, Deployment } from '@/features/deployments/api/types';
import {
  type ParamValues,
  paramErrors,
  paramPayload,
} from '@/features/deployments/components/manifest-params';
import { Field } from '@/features/deployments/components/field';
import { ParamsForm } from '@/features/deployments/components/params-form';
import { SIZING_MODES, STOPS, type SizingMode, type StopName, sizingMode, stopProblem } from '@/features/deployments/components/sizing';
import { SizingAndStopsFields } from '@/features/deployments/components/sizing-and-stops-fields';
import { ApiError } from '@/shared/api/http';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';

const MAX_MEMBERS = 8;

/** A catalogue entry's form key: "builtin:<name>" or "listing:<slug>". */
export function sourceKey(entry: Pick<CatalogueEntry, 'kind' | 'name' | 'listing'>): string {
  return entry.kind === 'listing' ? `listing:${entry.listing}` : `builtin:${entry.name}`;
}

type MemberDraft = { source: string; values: ParamValues; weight: string };

/** Where the API's refusal belongs: error.detail {field, param?} -> a form field key. */
export function fieldOfError(error: unknown, sizingParams: string[]): { key: string; message: string } | null {
  if (!(error instanceof ApiError) || typeof error.body !== 'object' || error.body === null) return null;
  const detail = (error.body as { error?: { detail?: unknown } }).error?.detail;
  if (typeof detail !== 'object' || detail === null) return null;
  const { field, param } = detail as { field?: unknown; param?: unknown };
  if (typeof field !== 'string') return null;
  const message = error.message;
  const member = field === 'strategy' ? 0 : /^ensemble\[(\d+)\]$/.exec(field)?.[1];
  if (member !== undefined) {
    const i = Number(member);
    return { key: typeof param === 'string' ? `member:${i}:${param}` : `member:${i}`, message };
  }
  if (field === 'exchange') return { key: 'symbol', message };
  if (field === 'ensemble') return { key: 'member:0', message };
  if (sizingParams.includes(field)) return { key: `sizing:${field}`, message };
  return { key: field, message };
}

function weightProblem(raw: string): string | null {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value)) return 'Weight must be a number.';
  return value > 0 && value <= 1000 ? null : 'Weight must be above 0 and at most 1000.';
}

export type DeploymentFormProps = {
  /** ?listing=<slug>: preselect this marketplace listing. */
  listing?: string | null;
  onCreated: (deployment: Deployment) => void;
};

export function DeploymentForm({ listing, onCreated }: DeploymentFormProps) {
  const catalogue = useCatalogue({ fresh: Boolean(listing) });
  const accounts = useDeployAccounts();
  const instruments = useDeployInstruments();
  const create = useCreateDeployment();

  const entries = catalogue.data ?? [];
  const byKey = useMemo(() => new Map(entries.map((e) => [sourceKey(e), e])), [entries]);
  const wanted = listing ? `listing:${listing}` : null;
  // Decided only once the re-read is in: the cached catalogue may predate the subscription.
  const settled = Boolean(catalogue.data) && !catalogue.isFetching;
  const missingListing = Boolean(wanted && settled && !byKey.has(wanted));

  const [members, setMembers] = useState<MemberDraft[]>([]);
  const [ensemble, setEnsemble] = useState(false);
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState<number | null>(null);
  const [symbol, setSymbol] = useState('');
  const [interval, setInterval] = useState('');
  const [sizing, setSizing] = useState<SizingMode>('fixed_fraction');
  const [sizingValues, setSizingValues] = useState<ParamValues>({});
  const [stops, setStops] = useState<Record<StopName, string>>({ stop_loss: '', take_profit: '', max_drawdown: '' });
  const [start, setStart] = useState(true);
  const [submitted, setSubmitted] = useState(false);

  // The first member: the listing asked for, else the first built-in.
  useEffect(() => {
    if (members.length > 0 || entries.length === 0 || (wanted && !settled)) return;
    const first = wanted && byKey.has(wanted) ? wanted : sourceKey(entries[0]!);
    setMembers([{ source: first, values: {}, weight: '1' }]);
  }, [entries, byKey, wanted, settled, members.length]);

  const activeAccounts = accounts.data ?? [];
  const account = activeAccounts.find((a) => a.id === accountId) ?? activeAccounts[0];
  const markets = (instruments.data ?? []).filter((i) => !account || (i.exchange === account.exchange && i.quote === account.currency));
  const market = markets.find((i) => i.symbol === symbol) ?? markets.find((i) => i.symbol === 'BTC-USDT') ?? markets[0];

  const used = (ensemble ? members : members.slice(0, 1)).map((m) => ({ draft: m, entry: byKey.get(m.source) }));
  const intervals = used.reduce<string[] | null>(
    (acc, { entry }) => (entry ? (acc ? acc.filter((i) => entry.manifest.intervals.includes(i)) : [...entry.manifest.intervals]) : acc),
    null,
  ) ?? [];
  const chosenInterval = intervals.includes(interval) ? interval : intervals.includes('1m') ? '1m' : (intervals[0] ?? '');
  const mode = sizingMode(sizing);
  const sizingNames = SIZING_MODES.flatMap((m) => m.params.map((p) => p.name));

  const server = create.isError ? fieldOfError(create.error, sizingNames) : null;
  const serverFor = (key: string) => (server && server.key === key ? server.message : undefined);
  const memberServerErrors = (i: number) =>
    server?.key.startsWith(`member:${i}:`) ? { [server.key.slice(`member:${i}:`.length)]: server.message } : {};

  const problems: Record<string, string> = {};
  used.forEach(({ draft, entry }, i) => {
    if (!entry) problems[`member:${i}`] = 'Choose a strategy.';
    else if (Object.keys(paramErrors(entry.manifest.params, draft.values)).length) problems[`member:${i}`] = 'Fix the parameters marked below.';
    if (ensemble) {
      const w = weightProblem(draft.weight);
      if (w) problems[`weight:${i}`] = w;
    }
  });
  if (!account) problems.account = 'Create a paper account first.';
  if (!market) problems.symbol = 'Choose a market.';
  if (!chosenInterval) problems.interval = 'The chosen strategies share no interval.';
  if (Object.keys(paramErrors(mode.params, sizingValues)).length) problems.sizing = 'Fix the sizing values.';
  for (const stop of STOPS) {
    const p = stopProblem(stops[stop.name], stop.max);
    if (p) problems[stop.name] = p;
  }
  const showProblem = (key: string) => (submitted ? problems[key] : undefined) ?? serverFor(key);

  function updateMember(i: number, change: Partial<MemberDraft>) {
    setMembers((current) => current.map((m, j) => (j === i ? { ...m, ...change } : m)));
  }

  function payloadOf(draft: MemberDraft, entry: CatalogueEntry) {
    const params = paramPayload(entry.manifest.params, draft.values);
    return entry.kind === 'listing' ? { listing_version: entry.listing_version ?? undefined, params } : { strategy: entry.name, params };
  }

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(problems).length > 0 || !account || !market) return;
    const stopValues = Object.fromEntries(
      STOPS.filter((s) => stops[s.name].trim() !== '').map((s) => [s.name, Number(stops[s.name])]),
    );
    const chosen = used.flatMap(({ draft, entry }) => (entry ? [{ draft, entry }] : []));
    const strategyPart = ensemble && chosen.length > 1
      ? { ensemble: chosen.map(({ draft, entry }) => ({ ...payloadOf(draft, entry), weight: Number(draft.weight) })) }
      : payloadOf(chosen[0]!.draft, chosen[0]!.entry);
    const input: DeploymentInput = {
      ...strategyPart,
      ...(name.trim() ? { name: name.trim() } : {}),
      symbol: market.symbol,
      exchange: market.exchange,
      interval: chosenInterval,
      account: account.id,
      sizing,
      sizing_params: paramPayload(mode.params, sizingValues),
      ...stopValues,
      start,
    };
    create.mutate(input, { onSuccess: (row) => onCreated(row) });
  }

  if (catalogue.isPending || accounts.isPending || instruments.isPending) return <Loading label="Loading strategies, accounts and markets…" />;
  const loadError = catalogue.error ?? accounts.error ?? instruments.error;
  if (loadError) return <ErrorMessage error={loadError} />;
  if (entries.length === 0) return <EmptyState>No strategies are available to deploy. Subscribe to one on the <Link to="/marketplace">marketplace</Link>.</EmptyState>;

  const builtins = entries.filter((e) => e.kind === 'builtin');
  const listings = entries.filter((e) => e.kind === 'listing');

  return (
    <form onSubmit={handleSubmit} className="flex flex-col gap-4 text-sm" aria-label="New deployment" noValidate>
      {missingListing && (
        <p role="alert" className="rounded border border-down bg-[var(--fail-bg)] px-3 py-2 text-down">
          You cannot deploy <strong>{listing}</strong> yet: subscribe to it on the{' '}
          <Link to={`/marketplace/${listing}`}>marketplace</Link> first (or pick another strategy below).
        </p>
      )}

      <section className="card flex flex-col gap-3" aria-labelledby="dep-strategy">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id="dep-strategy" className="font-semibold">Strategy source</h3>
          <label className="flex items-center gap-2 text-xs">
            <input type="checkbox" checked={ensemble} onChange={(e) => setEnsemble(e.target.checked)} />
            Ensemble (combine weighted strategies)
          </label>
        </div>
        {used.map(({ draft, entry }, i) => (
          <div key={i} className={ensemble ? 'flex flex-col gap-3 rounded border border-border p-3' : 'flex flex-col gap-3'}
            role={ensemble ? 'group' : undefined} aria-label={ensemble ? `Member ${i + 1}` : undefined}>
            <div className="grid grid-cols-1 gap-2 sm:grid-cols-[1fr_auto_auto] sm:items-end">
              <Field label={ensemble ? `Member ${i + 1} strategy` : 'Strategy'} error={showProblem(`member:${i}`)}>
                {(field) => (
                <select className="input" {...field} value={draft.source}
                  onChange={(e) => updateMember(i, { source: e.target.value, values: {} })}>
                  <optgroup label="Built-in">
                    {builtins.map((e) => <option key={sourceKey(e)} value={sourceKey(e)}>{e.name} {e.version}</option>)}
                  </optgroup>
                  {listings.length > 0 && (
                    <optgroup label="Marketplace (subscribed)">
                      {listings.map((e) => <option key={sourceKey(e)} value={sourceKey(e)}>{e.listing_name ?? e.listing} {e.version}</option>)}
                    </optgroup>
                  )}
                </select>
                )}
              </Field>
              {ensemble && (
                <Field label="Weight" className="sm:w-28" error={showProblem(`weight:${i}`)}>
                  {(field) => (
                    <input className="input font-mono" inputMode="decimal" {...field} value={draft.weight}
                      onChange={(e) => updateMember(i, { weight: e.target.value })} />
                  )}
                </Field>
              )}
              {ensemble && members.length > 1 && (
                <button type="button" className="btn" onClick={() => setMembers((c) => c.filter((_, j) => j !== i))}
                  aria-label={`Remove member ${i + 1}`}>Remove</button>
              )}
            </div>
            {entry && (
              <>
                <p className="text-xs text-muted">
                  {entry.kind === 'listing' && <span className="mr-1 rounded border border-border px-1">marketplace</span>}
                  {entry.description} Warm-up {entry.manifest.warmup_bars} bars.
                </p>
                <ParamsForm params={entry.manifest.params} values={draft.values}
                  onChange={(values) => updateMember(i, { values })} serverErrors={memberServerErrors(i)}
                  legend={ensemble ? `Member ${i + 1} parameters` : 'Parameters'} />
              </>
            )}
          </div>
        ))}
        {ensemble && members.length < MAX_MEMBERS && (
          <div>
            <button type="button" className="btn" onClick={() => setMembers((c) => [...c, { source: c[0]?.source ?? sourceKey(entries[0]!), values: {}, weight: '1' }])}>
              Add member
            </button>
            <span className="ml-2 text-xs text-muted">Exposures are averaged by weight (up to {MAX_MEMBERS} members).</span>
          </div>
        )}
      </section>

      <section className="card flex flex-col gap-3" aria-labelledby="dep-market">
        <h3 id="dep-market" className="font-semibold">Market and account</h3>
        {activeAccounts.length === 0 ? (
          <EmptyState>
            A deployment trades on a paper account and you have none. <Link to="/paper">Create a paper account</Link>, then come back.
          </EmptyState>
        ) : (
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-4">
            <Field label="Paper account" error={showProblem('account')}>
              {(field) => (
                <select className="input" {...field} value={account?.id ?? ''} onChange={(e) => setAccountId(Number(e.target.value))}>
                  {activeAccounts.map((a) => <option key={a.id} value={a.id}>{a.name} ({a.exchange}, {a.currency})</option>)}
                </select>
              )}
            </Field>
            <Field label="Market" error={showProblem('symbol')}>
              {(field) => (
                <select className="input" {...field} value={market?.symbol ?? ''} onChange={(e) => setSymbol(e.target.value)}>
                  {markets.map((i) => <option key={`${i.exchange}:${i.symbol}`} value={i.symbol}>{i.symbol} ({i.exchange})</option>)}
                </select>
              )}
            </Field>
            <Field label="Interval" error={showProblem('interval')}>
              {(field) => (
                <select className="input" {...field} value={chosenInterval} onChange={(e) => setInterval(e.target.value)}>
                  {intervals.map((i) => <option key={i} value={i}>{i}</option>)}
                </select>
              )}
            </Field>
            <Field label="Name (optional)" error={showProblem('name')}>
              {(field) => (
                <input className="input" {...field} value={name} maxLength={100} placeholder={used[0]?.entry?.name ?? ''}
                  onChange={(e) => setName(e.target.value)} />
              )}
            </Field>
          </div>
        )}
      </section>

      <section className="card flex flex-col gap-3" aria-labelledby="dep-risk">
        <h3 id="dep-risk" className="font-semibold">Sizing and stops</h3>
        <SizingAndStopsFields sizing={sizing} onSizing={setSizing} sizingValues={sizingValues} onSizingValues={setSizingValues}
          stops={stops} onStops={setStops} serverFor={serverFor} sizingClassName="sm:max-w-xs" />
      </section>

      <div className="card flex flex-col gap-3">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={start} onChange={(e) => setStart(e.target.checked)} />
          Start at once (otherwise it is created paused)
        </label>
        {create.isError && <ErrorMessage error={create.error} title="Not deployed" />}
        {submitted && Object.keys(problems).length > 0 && (
          <p role="alert" className="text-down">Fix the fields marked above first.</p>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn-primary" disabled={create.isPending || activeAccounts.length === 0}>
            {create.isPending ? 'Deploying…' : start ? 'Deploy and start' : 'Create paused'}
          </button>
          <Link to="/deployments">Cancel</Link>
        </div>
      </div>
    </form>
  );
}
