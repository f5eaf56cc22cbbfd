import { EmptyState } from '@/shared/components/loading';

/** /alerts/signals — inbound signal endpoints. */
export function SignalsRoute() {
  return <EmptyState>Inbound signal endpoints are managed through the API for now (POST /api/v1/signals/endpoints).</EmptyState>;
}
