import { channelKey } from '@/shared/ws/push-client';
import { FakeSocket } from '@/testing/fake-socket';

describe('push client', () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.resetModules();
  });

  it('names channels the way the server echoes them', () => {
    expect(channelKey({ channel: 'klines', exchange: 'sim', symbol: 'BTC-USDT', interval: '1m' })).toBe('klines:sim:BTC-USDT:1m');
    expect(channelKey({ channel: 'fills' })).toBe('fills');
  });

  it('subscribes once per channel, routes frames to handlers and unsubscribes after the last one', async () => {
    const { pushClient } = await import('@/shared/ws/push-client');
    const spec = { channel: 'klines', exchange: 'sim', symbol: 'BTC-USDT', interval: '1m' } as const;
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = pushClient().subscribe(spec, first);
    const stopSecond = pushClient().subscribe(spec, second);
    const socket = FakeSocket.instances[0]!;
    expect(socket.url).toBe(`ws://${window.location.host}/ws/v1`);
    socket.open();
    expect(socket.sent).toEqual([{ type: 'subscribe', ...spec }]);

    socket.receive({ type: 'update', channel: 'klines:sim:BTC-USDT:1m', data: { close: '1' } });
    socket.receive({ type: 'heartbeat', ts: 1 });
    expect(first).toHaveBeenCalledWith({ type: 'update', channel: 'klines:sim:BTC-USDT:1m', data: { close: '1' } });
    expect(second).toHaveBeenCalledTimes(1);

    stopFirst();
    expect(socket.sent).toHaveLength(1);
    stopSecond();
    expect(socket.sent[1]).toEqual({ type: 'unsubscribe', ...spec });
  });

  it('reconnects and replays subscriptions after the socket drops', async () => {
    vi.useFakeTimers();
    const { pushClient } = await import('@/shared/ws/push-client');
    pushClient().subscribe({ channel: 'fills' }, vi.fn());
    FakeSocket.instances[0]!.open();
    FakeSocket.instances[0]!.close();

    vi.advanceTimersByTime(600);
    const reconnected = FakeSocket.instances[1]!;
    reconnected.open();
    expect(reconnected.sent).toEqual([{ type: 'subscribe', channel: 'fills' }]);
    vi.useRealTimers();
  });
});
