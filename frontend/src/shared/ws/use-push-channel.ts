import { useEffect, useRef } from 'react';

import { type ChannelSpec, type DataFrame, channelKey, pushClient } from '@/shared/ws/push-client';

/** Subscribes while mounted; `spec = null` pauses. The latest handler is always called. */
export function usePushChannel(spec: ChannelSpec | null, onFrame: (frame: DataFrame) => void): void {
  const handlerRef = useRef(onFrame);
  handlerRef.current = onFrame;
  const key = spec ? channelKey(spec) : null;

  useEffect(() => {
    if (!spec) return;
    return pushClient().subscribe(spec, (frame) => handlerRef.current(frame));
    // The key captures everything in spec; re-subscribing on object identity would churn.
  }, [key]);
}
