import { useQuery } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/webhooks/endpoints/{id} */
export function useEndpoint(id: number) {
  return useQuery({
    queryKey: alertKeys.endpoint(id),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/webhooks/endpoints/{id}', { params: { path: { id: String(id) } }, signal })),
  });
}
