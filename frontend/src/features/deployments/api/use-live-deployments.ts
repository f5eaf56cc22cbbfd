import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import { SIGNALS_SHOWN } from '@/features/deployments/api/get-signals';
import { deploymentKeys } from '@/features/deployments/api/keys';
import type { Signal } from '@/features/deployments/api/types';
import { usePushChannel } from '@/shared/ws/use-push-channel';

type SignalEvent = {
  deployment: number; bar_open_ms: number; exposure: number; target: number; reason: string;
  price: string | null; qty: string; orders: Signal['orders'];
};
type FailureEvent = { deployment: number; status: string; code: string; message: string; ts_ms: number };

/** A frame of the private `deployments` channel: a new signal, or a runner failure (docs/websocket.md). */
export type DeploymentEvent = SignalEvent | FailureEvent;

export function isFailure(event: DeploymentEvent): event is FailureEvent {
  return 'code' in event;
}

/**
 * At most one refetch per this many ms. A 1 s deployment can signal every second and a free tier
 * allows 60 requests a minute: signals go straight into the table from the frame; the row (position,
 * P&L) and the stored signals (order fills) are re-read at this pace.
 */
export const LIVE_REFRESH_MS = 10_000;

/** The signal a frame carries, at the top of the cached table (replacing the same bar and reason). */
export function withLiveSignal(current: Signal[] | undefined, event: SignalEvent): Signal[] | undefined {
  if (!current) return current;
  const signal: Signal = {
    id: -event.bar_open_ms, bar_open_ms: event.bar_open_ms, exposure: event.exposure, target: event.target,
    reason: event.reason, price: event.price, equity: null, qty: event.qty, orders: event.orders ?? [], ts: new Date().toISOString(),
  };
  const rest = current.filter((s) => s.bar_open_ms !== event.bar_open_ms || s.reason !== event.reason);
  return [signal, ...rest].sort((a, b) => b.bar_open_ms - a.bar_open_ms).slice(0, SIGNALS_SHOWN);
}

function refetch(queryClient: QueryClient, only: number | undefined) {
  if (only === undefined) {
    void queryClient.invalidateQueries({ queryKey: deploymentKeys.lists });
    return;
  }
  void queryClient.invalidateQueries({ queryKey: deploymentKeys.detail(only), exact: true });
  void queryClient.invalidateQueries({ queryKey: deploymentKeys.signals(only) });
}

/**
 * Subscribes to the tenant's `deployments` channel while mounted. `only` = one deployment (the detail
 * screen: its signals table gets each signal at once, its row is re-read); without it, the list is
 * re-read on any deployment's frame. Failures re-read at once; everything else at most every LIVE_REFRESH_MS.
 */
export function useLiveDeployments(only?: number, onEvent?: (event: DeploymentEvent) => void) {
  const queryClient = useQueryClient();
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  const refresh = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    last.current = Date.now();
    refetch(queryClient, only);
  };

  usePushChannel({ channel: 'deployments' }, (frame) => {
    if (frame.type !== 'update' || typeof frame.data !== 'object' || frame.data === null) return;
    const event = frame.data as DeploymentEvent;
    if (typeof event.deployment !== 'number') return;
    if (only !== undefined && event.deployment !== only) return;
    onEvent?.(event);
    if (isFailure(event)) {
      refresh(); // the status changed: show it now
      return;
    }
    if (only !== undefined) {
      queryClient.setQueryData<Signal[]>(deploymentKeys.signals(only), (current) => withLiveSignal(current, event));
    }
    if (timer.current) return; // a refresh is already scheduled
    const wait = last.current + LIVE_REFRESH_MS - Date.now();
    if (wait <= 0) refresh();
    else timer.current = setTimeout(refresh, wait);
  });
}
