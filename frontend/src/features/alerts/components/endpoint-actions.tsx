import { Link } from 'react-router';

import { useDeleteEndpoint } from '@/features/alerts/api/delete-endpoint';
import type { Endpoint } from '@/features/alerts/api/get-endpoints';
import { useRotateSecret } from '@/features/alerts/api/rotate-secret';
import { useSendTestEvent } from '@/features/alerts/api/send-test-event';
import { useUpdateEndpoint } from '@/features/alerts/api/update-endpoint';
import { ConfirmButton } from '@/features/alerts/components/confirm-button';
import type { RevealedSecret } from '@/features/alerts/components/secret-reveal';
import { ErrorMessage } from '@/shared/components/error-message';

/** Send test, enable/disable, rotate secret, delete — each with its own progress and error. */
export function EndpointActions({
  endpoint,
  onRevealed,
  onDeleted,
  showLog = true,
}: {
  endpoint: Endpoint;
  onRevealed: (revealed: RevealedSecret) => void;
  onDeleted?: () => void;
  showLog?: boolean;
}) {
  const test = useSendTestEvent();
  const update = useUpdateEndpoint();
  const rotate = useRotateSecret();
  const remove = useDeleteEndpoint();
  const enabled = endpoint.is_enabled ?? true;
  const testDisabledWhy = !enabled ? 'Enable the endpoint to send it a test event.' : undefined;

  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap gap-1">
        {showLog && <Link className="btn" to={`/alerts/webhooks/${endpoint.id}`} aria-label={`Delivery log of ${endpoint.url}`}>Deliveries</Link>}
        <button type="button" className="btn" disabled={test.isPending || !enabled} title={testDisabledWhy}
          onClick={() => test.mutate(endpoint.id)}>
          {test.isPending ? 'Sending…' : 'Send test event'}
        </button>
        <button type="button" className="btn" disabled={update.isPending}
          onClick={() => update.mutate({ id: endpoint.id, patch: { is_enabled: !enabled } })}>
          {update.isPending ? 'Saving…' : enabled ? 'Disable' : 'Enable'}
        </button>
        <ConfirmButton label="Rotate secret" question="Issue a new signing secret?" confirmLabel="Rotate"
          pending={rotate.isPending}
          onConfirm={() => rotate.mutate(endpoint.id, {
            onSuccess: (r) => onRevealed({ endpointId: r.id, url: r.url, secret: r.secret, previousValidUntil: r.previous_valid_until }),
          })} />
        <ConfirmButton label="Delete" question={`Delete ${endpoint.url} and its delivery log?`} confirmLabel="Delete endpoint"
          pending={remove.isPending} onConfirm={() => remove.mutate(endpoint.id, { onSuccess: () => onDeleted?.() })} />
      </div>
      {test.isSuccess && (
        <p role="status" className="text-xs text-up">
          Test event queued.{showLog && <> Watch it in the <Link to={`/alerts/webhooks/${endpoint.id}`}>delivery log</Link>.</>}
        </p>
      )}
      <ErrorMessage error={test.error} />
      <ErrorMessage error={update.error} />
      <ErrorMessage error={rotate.error} />
      <ErrorMessage error={remove.error} />
    </div>
  );
}

export function EndpointStatus({ endpoint }: { endpoint: Endpoint }) {
  if (endpoint.is_enabled ?? true) {
    return (
      <span className="text-xs">
        <span className="text-up">Enabled</span>
        {endpoint.consecutive_failures > 0 && <span className="block text-down">{endpoint.consecutive_failures} failures in a row</span>}
      </span>
    );
  }
  return (
    <span className="text-xs">
      <span className="text-down">Disabled</span>
      {endpoint.disabled_reason && <span className="block text-muted">{endpoint.disabled_reason}</span>}
    </span>
  );
}
