import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { AUDIT_PAGE, settingsKeys } from '@/features/settings/api/keys';
import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type AuditEvent = Schema<'AuditEventOut'>;

/** GET /api/v1/audit-log (admin), newest first; `action` keeps one kind of event. */
export function useAuditLog({ before, action }: { before: number | undefined; action: string }, { enabled = true } = {}) {
  return useQuery({
    queryKey: [...settingsKeys.audit, action, before ?? null],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/audit-log', {
        params: { query: { limit: AUDIT_PAGE, before, action: action || undefined } },
        signal,
      })),
    enabled,
    // The page on screen stays while the next one loads (no flash of an empty table).
    placeholderData: keepPreviousData,
  });
}
