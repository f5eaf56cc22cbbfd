import { useQuery } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type Backtest = Schema<'BacktestOut'>;

export const BACKTESTS_PAGE = 20;

/** GET /api/v1/backtests, newest first; `before` = the last id seen pages back. */
export function useBacktests(before: number | undefined) {
  return useQuery({
    queryKey: ['backtests', 'list', before ?? null],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/backtests', { params: { query: { limit: BACKTESTS_PAGE, before } }, signal })),
    // Keep queued/running rows moving without a socket (nothing publishes backtest progress yet).
    refetchInterval: (query) =>
      query.state.data?.some((b) => b.status === 'queued' || b.status === 'running') ? 2_000 : false,
  });
}
