import { useQuery } from '@tanstack/react-query';

import { settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';

/** GET /api/v1/audit-log/actions (admin): the kinds of events this tenant's log holds, for the filter. */
export function useAuditActions({ enabled = true } = {}) {
  return useQuery({
    queryKey: settingsKeys.auditActions,
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/audit-log/actions', { signal })),
    enabled,
  });
}
