import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { useCreateSignalEndpoint } from '@/features/alerts/api/create-signal-endpoint';
import { useDeleteSignalEndpoint } from '@/features/alerts/api/delete-signal-endpoint';
import { useAlertAccounts } from '@/features/alerts/api/get-accounts';
import { type SignalEndpoint, useSignalEndpoints } from '@/features/alerts/api/get-signal-endpoints';
import { useSignals } from '@/features/alerts/api/get-signals';
import { useRotateSignalSecret } from '@/features/alerts/api/rotate-signal-secret';
import { useUpdateSignalEndpoint } from '@/features/alerts/api/update-signal-endpoint';
import { ConfirmButton } from '@/features/alerts/components/confirm-button';
import { formatDateTime } from '@/features/alerts/components/format';
import { type RevealedSecret, SecretReveal } from '@/features/alerts/components/secret-reveal';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';

/** "203.0.113.0/24, 198.51.100.7" or one per line -> a list; '' -> [] (any source). */
export function parseAllowedIps(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

function absoluteUrl(path: string): string {
  return new URL(path, window.location.origin).toString();
}

/** /alerts/signals — inbound signal endpoints (TradingView and the like place paper orders). */
export function SignalsRoute() {
  const endpoints = useSignalEndpoints();
  const accounts = useAlertAccounts();
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const accountName = (id: number) => accounts.data?.find((a) => a.id === id)?.name ?? `#${id}`;

  return (
    <div className="flex flex-col gap-3">
      <SignalEndpointForm onCreated={setRevealed} />
      {revealed && (
        <SecretReveal revealed={revealed} onDismiss={() => setRevealed(null)}>
          <div className="flex flex-col gap-1 text-xs">
            <p>Send signals with <code>POST {absoluteUrl(`/api/v1/signals/in/${revealed.endpointId}`)}</code> and a JSON body, for example:</p>
            <pre className="overflow-x-auto rounded border border-border bg-bg p-2 font-mono">
              {JSON.stringify({ secret: '<the secret above>', action: 'buy', symbol: 'BTC-USDT', size: '0.01', signal_id: 'tv-1' }, null, 2)}
            </pre>
            <p className="text-muted">action: buy, sell, close or target. The same signal_id twice trades once.</p>
          </div>
        </SecretReveal>
      )}
      <div className="card flex flex-col gap-2">
        <h3 className="font-semibold">Signal endpoints</h3>
        {endpoints.isPending && <Loading label="Loading signal endpoints…" />}
        <ErrorMessage error={endpoints.error} />
        {endpoints.data?.length === 0 && (
          <EmptyState>No signal endpoints yet. Create one above to let TradingView alerts (or any HTTP client) place orders on a paper account.</EmptyState>
        )}
        {endpoints.data && endpoints.data.length > 0 && (
          <div className="overflow-x-auto">
            <table className="table-basic w-full text-sm" aria-label="Signal endpoints">
              <thead><tr><th>Name</th><th>Paper account</th><th>URL</th><th>Allowed IPs</th><th>Status</th><th>Actions</th></tr></thead>
              <tbody>
                {endpoints.data.map((e) => (
                  <tr key={e.id}>
                    <td>{e.name}</td>
                    <td><Link to={`/paper/${e.account}`}>{accountName(e.account)}</Link></td>
                    <td className="break-all font-mono text-xs">/api/v1/signals/in/{e.id}</td>
                    <td className="text-xs">{e.allowed_ips?.length ? e.allowed_ips.join(', ') : <span className="text-muted">any</span>}</td>
                    <td className={`text-xs ${e.is_enabled ? 'text-up' : 'text-down'}`}>{e.is_enabled ? 'Enabled' : 'Disabled'}</td>
                    <td>
                      <SignalEndpointActions endpoint={e} open={open === e.id} onToggleLog={() => setOpen(open === e.id ? null : e.id)}
                        onRevealed={setRevealed} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {open !== null && endpoints.data?.some((e) => e.id === open) && (
        <SignalLog endpoint={endpoints.data.find((e) => e.id === open)!} />
      )}
    </div>
  );
}

function SignalEndpointForm({ onCreated }: { onCreated: (revealed: RevealedSecret) => void }) {
  const accounts = useAlertAccounts();
  const create = useCreateSignalEndpoint();
  const [name, setName] = useState('');
  const [account, setAccount] = useState('');
  const [ips, setIps] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const open = accounts.data ?? [];
  const chosen = account || (open[0] ? String(open[0].id) : '');

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const found = !name.trim() ? 'Give the endpoint a name.' : !chosen ? 'Create a paper account first: signals place orders on one.' : null;
    setProblem(found);
    if (found) return;
    create.mutate(
      { name: name.trim(), account: Number(chosen), allowed_ips: parseAllowedIps(ips) },
      {
        onSuccess: (e) => {
          setName('');
          setIps('');
          onCreated({ endpointId: e.id, url: absoluteUrl(e.url), secret: e.secret, title: `Secret for “${e.name}”` });
        },
      },
    );
  }

  return (
    <form onSubmit={handleSubmit} className="card flex flex-col gap-3 text-sm" aria-label="New signal endpoint" noValidate>
      <h3 className="font-semibold">New inbound signal endpoint</h3>
      <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
        <label className="flex flex-col gap-1">
          Name
          <input className="input" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1">
          Paper account
          <select className="input" value={chosen} onChange={(e) => setAccount(e.target.value)}>
            {accounts.isPending && <option value="">Loading accounts…</option>}
            {open.map((a) => <option key={a.id} value={String(a.id)}>{a.name} (#{a.id})</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Allowed IPs (optional)
          <input className="input font-mono" placeholder="e.g. 52.89.214.238, 203.0.113.0/24" value={ips} onChange={(e) => setIps(e.target.value)} />
        </label>
      </div>
      {accounts.data && open.length === 0 && (
        <p className="text-xs text-muted">Signals place orders on a paper account: <Link to="/paper">create one first</Link>.</p>
      )}
      {problem && <p role="alert" className="text-down">{problem}</p>}
      <ErrorMessage error={accounts.error} title="Accounts" />
      <ErrorMessage error={create.error} title="Not saved" />
      <div><button type="submit" className="btn-primary" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create signal endpoint'}</button></div>
    </form>
  );
}

function SignalEndpointActions({ endpoint, open, onToggleLog, onRevealed }: {
  endpoint: SignalEndpoint; open: boolean; onToggleLog: () => void; onRevealed: (r: RevealedSecret) => void;
}) {
  const update = useUpdateSignalEndpoint();
  const rotate = useRotateSignalSecret();
  const remove = useDeleteSignalEndpoint();
  const enabled = endpoint.is_enabled ?? true;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap gap-1">
        <button type="button" className="btn" aria-expanded={open} onClick={onToggleLog}>{open ? 'Hide signals' : 'Signals'}</button>
        <button type="button" className="btn" disabled={update.isPending}
          onClick={() => update.mutate({ id: endpoint.id, patch: { is_enabled: !enabled } })}>
          {enabled ? 'Disable' : 'Enable'}
        </button>
        <ConfirmButton label="Rotate secret" question="The old secret stops working at once. Rotate?" confirmLabel="Rotate"
          pending={rotate.isPending}
          onConfirm={() => rotate.mutate(endpoint.id, {
            onSuccess: (r) => onRevealed({ endpointId: r.id, url: absoluteUrl(`/api/v1/signals/in/${r.id}`), secret: r.secret, title: `New secret for “${r.name}”` }),
          })} />
        <ConfirmButton label="Delete" question={`Delete “${endpoint.name}”?`} confirmLabel="Delete endpoint"
          pending={remove.isPending} onConfirm={() => remove.mutate(endpoint.id)} />
      </div>
      <ErrorMessage error={update.error} />
      <ErrorMessage error={rotate.error} />
      <ErrorMessage error={remove.error} />
    </div>
  );
}

const STATUS_CLASS: Record<string, string> = { placed: 'text-up', rejected: 'text-down', failed: 'text-down', queued: 'text-muted' };

function SignalLog({ endpoint }: { endpoint: SignalEndpoint }) {
  const signals = useSignals(endpoint.id);
  return (
    <div className="card flex flex-col gap-2">
      <h3 className="font-semibold">Signals received by “{endpoint.name}” (latest 100)</h3>
      {signals.isPending && <Loading label="Loading signals…" />}
      <ErrorMessage error={signals.error} />
      {signals.data?.length === 0 && <EmptyState>No signals yet. POST one to /api/v1/signals/in/{endpoint.id} with the secret you were shown.</EmptyState>}
      {signals.data && signals.data.length > 0 && (
        <div className="overflow-x-auto">
          <table className="table-basic w-full text-sm" aria-label="Signals">
            <thead><tr><th>Received</th><th>Signal id</th><th>Action</th><th>Symbol</th><th className="text-right">Size</th><th>From</th><th>Outcome</th></tr></thead>
            <tbody>
              {signals.data.map((s) => (
                <tr key={s.id}>
                  <td className="whitespace-nowrap text-xs text-muted">{formatDateTime(s.received_at)}</td>
                  <td className="font-mono text-xs">{s.signal_id ?? '—'}</td>
                  <td>{s.action}</td>
                  <td>{s.symbol}</td>
                  <td className="text-right font-mono">{s.size || '—'}</td>
                  <td className="font-mono text-xs">{s.source_ip ?? '—'}</td>
                  <td className="text-xs">
                    <span className={STATUS_CLASS[s.status ?? 'queued']}>{s.status}</span>
                    {s.code && <span className="block">{s.code}{s.message ? `: ${s.message}` : ''}</span>}
                    {s.order_id && <span className="block text-muted">order {s.order_id}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
