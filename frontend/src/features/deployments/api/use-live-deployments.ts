import { useQueryClient } from '@tanstack/react-query';

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

/**
 * Subscribes to the tenant's `deployments` channel while mounted and refreshes what a frame changes:
 * `only` limits it to one deployment (the detail screen); the list refreshes on any.
 */
export function useLiveDeployments(only?: number, onEvent?: (event: DeploymentEvent) => void) {
  const queryClient = useQueryClient();
  usePushChannel({ channel: 'deployments' }, (frame) => {
    if (frame.type !== 'update' || typeof frame.data !== 'object' || frame.data === null) return;
    const event = frame.data as DeploymentEvent;
    if (typeof event.deployment !== 'number') return;
    if (only !== undefined && event.deployment !== only) return;
    onEvent?.(event);
    void queryClient.invalidateQueries({ queryKey: deploymentKeys.lists });
    void queryClient.invalidateQueries({ queryKey: deploymentKeys.detail(event.deployment) });
  });
}
