import { Link } from 'react-router';

import type { Delivery } from '@/features/alerts/api/get-deliveries';
import { useResendDelivery } from '@/features/alerts/api/resend-delivery';
import { formatDateTime, relativeTime } from '@/features/alerts/components/format';
import { ErrorMessage } from '@/shared/components/error-message';

const STATUS_CLASS = { succeeded: 'text-up', failed: 'text-down', pending: 'text-muted' } as const;

function lastAttempt(d: Delivery) {
  return d.attempts[d.attempts.length - 1];
}

/** The delivery log: status, attempts (each expandable), last response, next retry, resend. */
export function DeliveriesTable({ deliveries, showEndpoint = false }: { deliveries: Delivery[]; showEndpoint?: boolean }) {
  const resend = useResendDelivery();
  return (
    <div className="flex flex-col gap-2">
      <ErrorMessage error={resend.error} title="Resend failed" />
      <div className="overflow-x-auto">
        <table className="table-basic w-full text-sm" aria-label="Deliveries">
          <thead>
            <tr>
              <th>Created</th>{showEndpoint && <th>Endpoint</th>}<th>Event</th><th>Status</th><th className="text-right">Attempts</th>
              <th>Last response</th><th>Next retry</th><th><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => {
              const last = lastAttempt(d);
              return (
                <tr key={d.id} aria-label={`Delivery ${d.id}`}>
                  <td className="whitespace-nowrap text-xs text-muted">{formatDateTime(d.created_at)}</td>
                  {showEndpoint && (
                    <td className="max-w-[14rem] truncate text-xs"><Link to={`/alerts/webhooks/${d.endpoint}`} title={d.endpoint_url}>{d.endpoint_url}</Link></td>
                  )}
                  <td className="text-xs"><span className="block">{d.event_type}</span><code className="text-muted">{d.event_id}</code></td>
                  <td className={`font-medium ${STATUS_CLASS[d.status]}`}>{d.status}</td>
                  <td className="text-right font-mono">{d.attempts.length}</td>
                  <td className="text-xs">
                    {last ? (
                      <details>
                        <summary className="cursor-pointer">
                          {last.status_code ?? 'no answer'}{last.error ? ` · ${last.error}` : ''} · {last.latency_ms} ms
                        </summary>
                        <ol className="mt-1 flex flex-col gap-1" aria-label={`Attempts of delivery ${d.id}`}>
                          {d.attempts.map((a) => (
                            <li key={a.number} className="rounded border border-border p-1">
                              <span className="font-mono">#{a.number}</span> {formatDateTime(a.at)} · <strong>{a.status_code ?? '—'}</strong> · {a.latency_ms} ms
                              {a.error && <span className="block text-down">{a.error}</span>}
                              {a.response_excerpt && <code className="block max-h-24 overflow-auto whitespace-pre-wrap break-all text-muted">{a.response_excerpt}</code>}
                            </li>
                          ))}
                        </ol>
                      </details>
                    ) : (
                      <span className="text-muted">not tried yet</span>
                    )}
                  </td>
                  <td className="whitespace-nowrap text-xs">
                    {d.next_attempt_at ? <span title={formatDateTime(d.next_attempt_at)}>{relativeTime(d.next_attempt_at)}</span> : '—'}
                  </td>
                  <td>
                    <button type="button" className="btn text-xs" disabled={resend.isPending && resend.variables === d.id}
                      onClick={() => resend.mutate(d.id)} aria-label={`Resend delivery ${d.id}`}>
                      {resend.isPending && resend.variables === d.id ? 'Queuing…' : 'Resend'}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {resend.isSuccess && <p role="status" className="text-xs text-up">Delivery {resend.data.delivery} queued again (same webhook-id, so receivers can de-duplicate).</p>}
    </div>
  );
}
