import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { PAGE_SIZE, alertKeys } from '@/features/alerts/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Rule = Schema<'Rule'>;

/** GET /api/v1/alerts/rules, newest first; `before` = the last id of the previous page. */
export function useRules(before: number | undefined) {
  return useQuery({
    queryKey: alertKeys.rulesPage(before),
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/alerts/rules', { params: { query: { limit: PAGE_SIZE, before } }, signal })),
    placeholderData: keepPreviousData,
  });
}
