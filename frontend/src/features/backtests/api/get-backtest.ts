import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type BacktestDetail = Schema<'BacktestDetailOut'>;

/** GET /api/v1/backtests/{id}, polled until it finishes (progress lives on the row). */
export function useBacktest(id: number, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    enabled,
    queryKey: ['backtests', 'detail', id],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/backtests/{id}', { params: { path: { id: String(id) } }, signal })),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      // The `backtests` push channel moves the row live; polling is the fallback without it.
      return status === 'queued' || status === 'running' ? 3_000 : false;
    },
  });
}
