import { type FormEvent, useMemo, useState } from 'react';

import { useTradableInstruments } from '@/features/paper/api/get-instruments';
import { usePlaceOrder } from '@/features/paper/api/place-order';
import { useLiveMarks } from '@/features/paper/api/use-live-marks';
import {
  type TicketErrors,
  type TicketTif,
  type TicketType,
  type TicketValues,
  needsPrice,
  needsStop,
  orderValue,
  ticketToOrder,
  validateTicket,
} from '@/features/paper/components/validate-order';
import { ErrorMessage } from '@/shared/components/error-message';
import { formatDecimal } from '@/shared/format/decimal';

const ORDER_TYPES: { value: TicketType; label: string }[] = [
  { value: 'market', label: 'Market' },
  { value: 'limit', label: 'Limit' },
  { value: 'stop_market', label: 'Stop' },
  { value: 'stop_limit', label: 'Stop-limit' },
];
const TIFS: { value: TicketTif; label: string }[] = [
  { value: 'gtc', label: 'GTC' },
  { value: 'ioc', label: 'IOC' },
  { value: 'fok', label: 'FOK' },
  { value: 'post_only', label: 'Post-only' },
];

function newClientOrderId(): string {
  return `web-${crypto.randomUUID()}`;
}

function FieldError({ message, id }: { message: string | undefined; id: string }) {
  return message ? <span id={id} className="text-xs text-down">{message}</span> : null;
}

/** `exchange`: the account's; its markets are the ones offered (all, when not given). */
export function OrderTicket({ accountId, exchange }: { accountId: number; exchange?: string }) {
  const instruments = useTradableInstruments();
  const placeOrder = usePlaceOrder(accountId);
  const [values, setValues] = useState<TicketValues>({
    symbol: '', side: 'buy', type: 'market', tif: 'ioc', qty: '', price: '', stopPrice: '', reduceOnly: false,
  });
  const [errors, setErrors] = useState<TicketErrors>({});
  const [lastResult, setLastResult] = useState<string | null>(null);
  // One idempotency key per intended order: a retry after a timeout or 503 reuses it, so the
  // engine places the order at most once; editing the ticket starts a new order.
  const [clientOrderId, setClientOrderId] = useState<string | null>(null);

  const tradable = useMemo(
    () => (instruments.data ?? []).filter((i) => !exchange || i.exchange === exchange),
    [instruments.data, exchange],
  );
  const symbol = values.symbol || tradable[0]?.symbol || '';
  const instrument = tradable.find((i) => i.symbol === symbol);
  // The live last price values market orders for the minimum-notional check.
  const marketSymbols = useMemo(() => (instrument ? [instrument.symbol] : []), [instrument]);
  const lastPrice = useLiveMarks(instrument?.exchange, marketSymbols).get(symbol)?.price;
  const value = orderValue({ ...values, symbol }, lastPrice);
  const set = <K extends keyof TicketValues>(key: K, value: TicketValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setClientOrderId(null);
  };

  function selectType(type: TicketType) {
    // Market orders default to IOC (they cannot rest); the rest default to GTC.
    setValues((current) => ({ ...current, type, tif: type === 'market' ? 'ioc' : 'gtc' }));
    setClientOrderId(null);
  }

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const ticket = { ...values, symbol };
    const found = validateTicket(ticket, instrument, lastPrice);
    setErrors(found);
    setLastResult(null);
    if (Object.keys(found).length > 0) return;
    const idempotencyKey = clientOrderId ?? newClientOrderId();
    setClientOrderId(idempotencyKey);
    placeOrder.mutate(
      { ...ticketToOrder(ticket), client_order_id: idempotencyKey },
      {
        onSuccess: (order) => {
          setClientOrderId(null);
          setLastResult(`Order ${order.status}: ${order.side} ${order.qty} ${order.symbol}`);
        },
      },
    );
  }

  return (
    <form onSubmit={handleSubmit} className="card flex flex-col gap-2 text-sm" aria-label="Order ticket" noValidate>
      <h3 className="font-semibold">Order ticket</h3>
      <div className="flex flex-col gap-1">
        <label className="flex flex-col gap-1">
          Instrument
          <select className="input" value={symbol} onChange={(e) => set('symbol', e.target.value)}>
            {tradable.map((i) => (
              <option key={`${i.exchange}:${i.symbol}`} value={i.symbol}>{i.symbol}</option>
            ))}
          </select>
        </label>
        <FieldError id="symbol-error" message={errors.symbol} />
        {instrument && <span className="text-xs text-muted">tick {instrument.tick_size} · lot {instrument.lot_size}</span>}
      </div>
      <div className="grid grid-cols-2 gap-1" role="group" aria-label="Side">
        {(['buy', 'sell'] as const).map((side) => (
          <button key={side} type="button" aria-pressed={values.side === side} onClick={() => set('side', side)}
            className={`rounded py-1 font-medium ${values.side === side ? (side === 'buy' ? 'bg-up text-white' : 'bg-down text-white') : 'border border-border text-muted'}`}>
            {side === 'buy' ? 'Buy' : 'Sell'}
          </button>
        ))}
      </div>
      <label className="flex flex-col gap-1">
        Type
        <select className="input" value={values.type} onChange={(e) => selectType(e.target.value as TicketType)}>
          {ORDER_TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        Quantity{instrument && ` (${instrument.base})`}
        <input className="input font-mono" inputMode="decimal" value={values.qty} aria-invalid={Boolean(errors.qty)}
          aria-describedby="qty-error qty-minimum" onChange={(e) => set('qty', e.target.value)} />
      </label>
      {instrument && (instrument.min_notional || value) && (
        <span id="qty-minimum" className="text-xs text-muted">
          {instrument.min_notional ? `min order value ${instrument.min_notional} ${instrument.quote}` : 'no minimum order value'}
          {value && ` · this order ≈ ${formatDecimal(value, 8)} ${instrument.quote}`}
        </span>
      )}
      <FieldError id="qty-error" message={errors.qty} />
      {needsStop(values.type) && (
        <>
        <label className="flex flex-col gap-1">
          Stop price
          <input className="input font-mono" inputMode="decimal" value={values.stopPrice} aria-invalid={Boolean(errors.stopPrice)}
            aria-describedby="stop-error" onChange={(e) => set('stopPrice', e.target.value)} />
        </label>
        <FieldError id="stop-error" message={errors.stopPrice} />
        </>
      )}
      {needsPrice(values.type) && (
        <>
        <label className="flex flex-col gap-1">
          Limit price
          <input className="input font-mono" inputMode="decimal" value={values.price} aria-invalid={Boolean(errors.price)}
            aria-describedby="price-error" onChange={(e) => set('price', e.target.value)} />
        </label>
        <FieldError id="price-error" message={errors.price} />
        </>
      )}
      <label className="flex flex-col gap-1">
        Time in force
        <select className="input" value={values.tif} onChange={(e) => set('tif', e.target.value as TicketTif)}>
          {TIFS.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
        </select>
      </label>
      <FieldError id="tif-error" message={errors.tif} />
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={values.reduceOnly} onChange={(e) => set('reduceOnly', e.target.checked)} />
        Reduce-only
      </label>
      <ErrorMessage error={placeOrder.error} />
      {lastResult && <p role="status" className="text-xs text-up">{lastResult}</p>}
      <button type="submit" className="btn-primary" disabled={placeOrder.isPending || !instrument}>
        {placeOrder.isPending ? 'Placing…' : `Place ${values.side} order`}
      </button>
    </form>
  );
}
