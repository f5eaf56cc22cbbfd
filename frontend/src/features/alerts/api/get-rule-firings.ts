import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { PAGE_SIZE, alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/alerts/rules/{id}/firings, newest first. */
export function useRuleFirings(ruleId: number, before: number | undefined) {
  return useQuery({
    queryKey: alertKeys.ruleFiringsPage(ruleId, before),
    queryFn: ({ signal }) =>
      unwrap(
        apiClient.GET('/api/v1/alerts/rules/{id}/firings', {
          params: { path: { id: String(ruleId) }, query: { limit: PAGE_SIZE, before } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
