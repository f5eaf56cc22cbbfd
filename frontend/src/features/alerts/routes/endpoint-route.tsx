import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { useEndpoint } from '@/features/alerts/api/get-endpoint';
import { useEndpointDeliveries } from '@/features/alerts/api/get-endpoint-deliveries';
import { PAGE_SIZE } from '@/features/alerts/api/keys';
import { DeliveriesTable } from '@/features/alerts/components/deliveries-table';
import { EndpointActions, EndpointStatus } from '@/features/alerts/components/endpoint-actions';
import { type RevealedSecret, SecretReveal } from '@/features/alerts/components/secret-reveal';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

/** /alerts/webhooks/:endpointId — one endpoint and its delivery log. */
export function EndpointRoute() {
  const endpointId = Number(useParams().endpointId);
  const navigate = useNavigate();
  const endpoint = useEndpoint(endpointId);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  const pages = useKeysetPages();
  const deliveries = useEndpointDeliveries(endpointId, pages.before);
  const rows = deliveries.data ?? [];
  const last = rows[rows.length - 1]?.id;

  return (
    <div className="flex flex-col gap-3">
      <Link to="/alerts/webhooks" className="text-sm">← All endpoints</Link>
      {endpoint.isPending && <Loading label="Loading endpoint…" />}
      <ErrorMessage error={endpoint.error} />
      {endpoint.data && (
        <div className="card flex flex-col gap-2 text-sm">
          <h3 className="break-all font-mono text-base font-semibold">{endpoint.data.url}</h3>
          {endpoint.data.description && <p className="text-muted">{endpoint.data.description}</p>}
          <p className="text-xs">Events: {endpoint.data.event_types.join(', ')}</p>
          <EndpointStatus endpoint={endpoint.data} />
          <EndpointActions endpoint={endpoint.data} showLog={false} onRevealed={setRevealed}
            onDeleted={() => navigate('/alerts/webhooks')} />
        </div>
      )}
      {revealed && <SecretReveal revealed={revealed} onDismiss={() => setRevealed(null)} />}
      <div className="card flex flex-col gap-2">
        <h3 className="font-semibold">Delivery log</h3>
        {deliveries.isPending && <Loading label="Loading deliveries…" />}
        <ErrorMessage error={deliveries.error} />
        {deliveries.data && rows.length === 0 && pages.page === 1 && (
          <EmptyState>Nothing delivered to this endpoint yet. Use “Send test event” above to try it.</EmptyState>
        )}
        {rows.length > 0 && <DeliveriesTable deliveries={rows} />}
        {rows.some((d) => d.status === 'pending') && <p className="text-xs text-muted" role="status">Deliveries pending: refreshing every 2 s.</p>}
        <Pager page={pages.page} hasOlder={rows.length >= PAGE_SIZE && last !== undefined}
          onNewer={pages.newer} onOlder={() => last !== undefined && pages.older(last)} label="Delivery pages" />
      </div>
    </div>
  );
}
