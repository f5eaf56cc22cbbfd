import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, unwrap } from '@/shared/api/client';
import type { Schema } from '@/shared/api/types';

export type BacktestInput = Schema<'BacktestInRequest'>;

/** POST /api/v1/backtests: validates and queues; answers 202 with the queued run. */
export function useCreateBacktest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: BacktestInput) => unwrap(apiClient.POST('/api/v1/backtests', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['backtests', 'list'] }),
  });
}
