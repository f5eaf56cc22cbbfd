import { useQueryClient } from '@tanstack/react-query';

import type { BacktestDetail } from '@/features/backtests/api/get-backtest';
import { usePushChannel } from '@/shared/ws/use-push-channel';

type Progress = { id: number; status: BacktestDetail['status']; progress: number };

function isProgress(data: unknown): data is Progress {
  const d = data as Partial<Progress> | null;
  return typeof d?.id === 'number' && typeof d.status === 'string' && typeof d.progress === 'number';
}

/**
 * Live status and progress from the push gateway's `backtests` channel: moves the cached rows at
 * once, and refetches a run's results when it finishes (the polling in the queries stays as the
 * fallback when the socket is down).
 */
export function useBacktestProgress(enabled = true) {
  const queryClient = useQueryClient();
  usePushChannel(enabled ? { channel: 'backtests' } : null, (frame) => {
    if (frame.type !== 'update' || !isProgress(frame.data)) return;
    const { id, status, progress } = frame.data;
    queryClient.setQueryData<BacktestDetail>(['backtests', 'detail', id], (old) => (old ? { ...old, status, progress } : old));
    queryClient.setQueriesData<BacktestDetail[]>({ queryKey: ['backtests', 'list'] }, (rows) =>
      rows?.map((row) => (row.id === id ? { ...row, status, progress } : row)),
    );
    if (status === 'succeeded' || status === 'failed') {
      void queryClient.invalidateQueries({ queryKey: ['backtests', 'detail', id] });
      void queryClient.invalidateQueries({ queryKey: ['backtests', 'list'] });
    }
  });
}
