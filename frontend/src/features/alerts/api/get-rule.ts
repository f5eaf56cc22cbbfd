import { useQuery } from '@tanstack/react-query';

import { alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/alerts/rules/{id} */
export function useRule(id: number) {
  return useQuery({
    queryKey: alertKeys.rule(id),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/alerts/rules/{id}', { params: { path: { id: String(id) } }, signal })),
  });
}
