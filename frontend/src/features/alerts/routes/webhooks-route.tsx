import { useState } from 'react';

import { useDeliveries } from '@/features/alerts/api/get-deliveries';
import { useEndpoints } from '@/features/alerts/api/get-endpoints';
import { PAGE_SIZE } from '@/features/alerts/api/keys';
import { DeliveriesTable } from '@/features/alerts/components/deliveries-table';
import { EndpointActions, EndpointStatus } from '@/features/alerts/components/endpoint-actions';
import { EndpointForm } from '@/features/alerts/components/endpoint-form';
import { type RevealedSecret, SecretReveal } from '@/features/alerts/components/secret-reveal';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

/** /alerts/webhooks — endpoints (create, secret once, test, enable, rotate, delete) and every delivery. */
export function WebhooksRoute() {
  const endpoints = useEndpoints();
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);

  return (
    <div className="flex flex-col gap-3">
      <EndpointForm onCreated={(e) => setRevealed({ endpointId: e.id, url: e.url, secret: e.secret })} />
      {revealed && <SecretReveal revealed={revealed} onDismiss={() => setRevealed(null)} />}
      <div className="card flex flex-col gap-2">
        <h3 className="font-semibold">Endpoints</h3>
        {endpoints.isPending && <Loading label="Loading endpoints…" />}
        <ErrorMessage error={endpoints.error} />
        {endpoints.data?.length === 0 && (
          <EmptyState>No webhook endpoints yet. Add your receiver’s URL above, then send it a test event.</EmptyState>
        )}
        {endpoints.data && endpoints.data.length > 0 && (
          <div className="overflow-x-auto">
            <table className="table-basic w-full text-sm" aria-label="Webhook endpoints">
              <thead><tr><th>URL</th><th>Events</th><th>Status</th><th>Actions</th></tr></thead>
              <tbody>
                {endpoints.data.map((endpoint) => (
                  <tr key={endpoint.id}>
                    <td className="max-w-[18rem] break-all font-mono text-xs">
                      {endpoint.url}
                      {endpoint.description && <span className="block font-sans text-muted">{endpoint.description}</span>}
                    </td>
                    <td className="text-xs">{endpoint.event_types.join(', ')}</td>
                    <td><EndpointStatus endpoint={endpoint} /></td>
                    <td><EndpointActions endpoint={endpoint} onRevealed={setRevealed}
                      onDeleted={() => setRevealed((r) => (r?.endpointId === endpoint.id ? null : r))} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <AllDeliveries />
    </div>
  );
}

function AllDeliveries() {
  const pages = useKeysetPages();
  const deliveries = useDeliveries(pages.before);
  const rows = deliveries.data ?? [];
  const last = rows[rows.length - 1]?.id;
  return (
    <div className="card flex flex-col gap-2">
      <h3 className="font-semibold">All deliveries</h3>
      {deliveries.isPending && <Loading label="Loading deliveries…" />}
      <ErrorMessage error={deliveries.error} />
      {deliveries.data && rows.length === 0 && pages.page === 1 && (
        <EmptyState>No deliveries yet. Send a test event to an endpoint, or let an alert rule with webhook notifications fire.</EmptyState>
      )}
      {rows.length > 0 && <DeliveriesTable deliveries={rows} showEndpoint />}
      <Pager page={pages.page} hasOlder={rows.length >= PAGE_SIZE && last !== undefined}
        onNewer={pages.newer} onOlder={() => last !== undefined && pages.older(last)} label="Delivery pages" />
    </div>
  );
}
