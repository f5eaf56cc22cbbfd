import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

import { deploymentKeys } from '@/features/deployments/api/keys';
import type { Signal } from '@/features/deployments/api/types';
import { usePushChannel } from '@/shared/ws/use-push-channel';

/** A frame of the private `deployments` channel: a new signal, or a runner failure (docs/websocket.md). */
export type DeploymentEvent =
  | { deployment: number; bar_open_ms: number; exposure: number; target: number; reason: string; price: string | null; qty: string; orders: Signal['orders'] }
  | { deployment: number; status: string; code: string; message: string; ts_ms: number };

export function isFailure(event: DeploymentEvent): event is Extract<DeploymentEvent, { code: string }> {
  return 'code' in event;
}

/** At most one refresh per this many ms: a 1 s deployment can signal every second (free tiers: 60 requests/min). */
export const LIVE_REFRESH_MS = 3_000;

/**
 * Subscribes to the tenant's `deployments` channel while mounted and refreshes what a frame changes
 * (coalesced to one refresh per LIVE_REFRESH_MS): `only` limits it to one deployment (the detail
 * screen: its row and signals); without it, the list refreshes on any deployment's frame.
 */
export function useLiveDeployments(only?: number, onEvent?: (event: DeploymentEvent) => void) {
  const queryClient = useQueryClient();
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  const refresh = () => {
    timer.current = null;
    last.current = Date.now();
    if (only === undefined) {
      void queryClient.invalidateQueries({ queryKey: deploymentKeys.lists });
      return;
    }
    void queryClient.invalidateQueries({ queryKey: deploymentKeys.detail(only), exact: true });
    void queryClient.invalidateQueries({ queryKey: deploymentKeys.signals(only) });
  };

  usePushChannel({ channel: 'deployments' }, (frame) => {
    if (frame.type !== 'update' || typeof frame.data !== 'object' || frame.data === null) return;
    const event = frame.data as DeploymentEvent;
    if (typeof event.deployment !== 'number') return;
    if (only !== undefined && event.deployment !== only) return;
    onEvent?.(event);
    if (timer.current) return; // a refresh is already scheduled
    const wait = last.current + LIVE_REFRESH_MS - Date.now();
    if (wait <= 0) refresh();
    else timer.current = setTimeout(refresh, wait);
  });
}
