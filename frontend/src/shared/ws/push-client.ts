import { env } from '@/shared/lib/env';
import { getActiveTenant, subscribeActiveTenant } from '@/shared/tenant/tenant-store';

/** A subscription request as docs/websocket.md defines it. */
export type ChannelSpec =
  | { channel: 'klines'; exchange: string; symbol: string; interval: string }
  | { channel: 'ticker' | 'trades'; exchange: string; symbol: string }
  | { channel: 'orders' | 'fills' | 'positions' | 'balances' | 'alerts' | 'deployments' | 'backtests' };

export type DataFrame = { type: 'snapshot' | 'update'; channel: string; data: unknown };
type FrameHandler = (frame: DataFrame) => void;

/** The channel name the server echoes in frames, e.g. "klines:sim:BTC-USDT:1m". */
export function channelKey(spec: ChannelSpec): string {
  const parts: string[] = [spec.channel];
  if ('exchange' in spec) parts.push(spec.exchange, spec.symbol);
  if ('interval' in spec) parts.push(spec.interval);
  return parts.join(':');
}

function socketUrl(): string {
  const base = env.API_URL.startsWith('http') ? new URL(env.API_URL) : window.location;
  const protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  const tenant = getActiveTenant();
  const query = tenant ? `?tenant=${encodeURIComponent(tenant)}` : '';
  return `${protocol}//${base.host}/ws/v1${query}`;
}

/**
 * One shared connection per page. Subscriptions are reference-counted per channel and
 * replayed after a reconnect, so components just subscribe and forget about the socket.
 */
class PushClient {
  private socket: WebSocket | null = null;
  private readonly subscriptions = new Map<string, { spec: ChannelSpec; handlers: Set<FrameHandler> }>();
  private reconnectDelayMs = 500;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    // Private channels belong to the connection's tenant: switching tenant means a new socket.
    subscribeActiveTenant(() => this.restart());
  }

  subscribe(spec: ChannelSpec, handler: FrameHandler): () => void {
    const key = channelKey(spec);
    let entry = this.subscriptions.get(key);
    if (!entry) {
      entry = { spec, handlers: new Set() };
      this.subscriptions.set(key, entry);
      this.send({ type: 'subscribe', ...spec });
    }
    entry.handlers.add(handler);
    this.ensureOpen();
    return () => {
      const current = this.subscriptions.get(key);
      if (!current) return;
      current.handlers.delete(handler);
      if (current.handlers.size === 0) {
        this.subscriptions.delete(key);
        this.send({ type: 'unsubscribe', ...spec });
      }
    };
  }

  private ensureOpen() {
    if (this.socket || this.reconnectTimer || typeof WebSocket === 'undefined') return;
    const socket = new WebSocket(socketUrl());
    this.socket = socket;
    socket.onopen = () => {
      this.reconnectDelayMs = 500;
      for (const { spec } of this.subscriptions.values()) this.send({ type: 'subscribe', ...spec });
    };
    socket.onmessage = (event) => this.dispatch(event.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.subscriptions.size > 0) this.scheduleReconnect();
    };
  }

  private scheduleReconnect() {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.ensureOpen();
    }, this.reconnectDelayMs);
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 10_000);
  }

  private restart() {
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    if (this.subscriptions.size > 0) this.ensureOpen();
  }

  private send(message: object) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private dispatch(raw: unknown) {
    if (typeof raw !== 'string') return;
    let frame: { type?: string; channel?: string; data?: unknown };
    try {
      frame = JSON.parse(raw) as typeof frame;
    } catch {
      return;
    }
    if ((frame.type !== 'snapshot' && frame.type !== 'update') || !frame.channel) return;
    const entry = this.subscriptions.get(frame.channel);
    entry?.handlers.forEach((handler) => handler(frame as DataFrame));
  }
}

let client: PushClient | null = null;

export function pushClient(): PushClient {
  client ??= new PushClient();
  return client;
}
