import type { OrderInput } from '@/features/paper/api/place-order';
import type { Instrument } from '@/features/paper/api/get-instruments';
import { compareExact, isExactDecimal, multiplyExact } from '@/features/paper/components/exact-decimal';
import { isDecimalString, isMultipleOf } from '@/shared/format/decimal';

export type TicketType = 'market' | 'limit' | 'stop_market' | 'stop_limit';
export type TicketTif = 'gtc' | 'ioc' | 'fok' | 'post_only';

export type TicketValues = {
  symbol: string;
  side: 'buy' | 'sell';
  type: TicketType;
  tif: TicketTif;
  qty: string;
  price: string;
  stopPrice: string;
  reduceOnly: boolean;
};

export type TicketErrors = Partial<Record<'symbol' | 'qty' | 'price' | 'stopPrice' | 'tif', string>>;

const needsPrice = (type: TicketType) => type === 'limit' || type === 'stop_limit';
const needsStop = (type: TicketType) => type === 'stop_market' || type === 'stop_limit';

function checkStep(value: string, step: string, label: string, unit: string): string | undefined {
  if (!isDecimalString(value) || Number(value) <= 0) return `${label} must be a positive number.`;
  if (!isMultipleOf(value, step)) return `${label} must be a multiple of the ${unit} ${step}.`;
  return undefined;
}

/**
 * The order's value in the quote currency, qty x the price it is valued at (as the API and engine
 * do): the limit price, else the stop price, else (market) the last price. Null when unknown.
 */
export function orderValue(values: TicketValues, lastPrice?: string | null): string | null {
  const qty = values.qty.trim();
  const ref = needsPrice(values.type) ? values.price.trim() : needsStop(values.type) ? values.stopPrice.trim() : lastPrice;
  if (!isDecimalString(qty) || !isExactDecimal(ref) || !isDecimalString(ref)) return null;
  return multiplyExact(qty, ref);
}

/**
 * Checks the ticket the way the engine will, so most rejections never leave the browser. A market
 * order's minimum notional is judged at `lastPrice` (the live price) and skipped while it is unknown.
 */
export function validateTicket(values: TicketValues, instrument: Instrument | undefined, lastPrice?: string | null): TicketErrors {
  const errors: TicketErrors = {};
  if (!instrument) {
    errors.symbol = 'Pick an instrument.';
    return errors;
  }
  const qtyError = checkStep(values.qty.trim(), instrument.lot_size, 'Quantity', 'lot size');
  if (qtyError) errors.qty = qtyError;
  if (needsPrice(values.type)) {
    const priceError = checkStep(values.price.trim(), instrument.tick_size, 'Limit price', 'tick size');
    if (priceError) errors.price = priceError;
  }
  if (needsStop(values.type)) {
    const stopError = checkStep(values.stopPrice.trim(), instrument.tick_size, 'Stop price', 'tick size');
    if (stopError) errors.stopPrice = stopError;
  }
  const minimum = instrument.min_notional;
  if (!errors.qty && !errors.price && !errors.stopPrice && isExactDecimal(minimum)) {
    const value = orderValue(values, lastPrice);
    if (value !== null && compareExact(value, minimum) === -1) {
      const quote = instrument.quote;
      const at = values.type === 'market' ? ` at the last price ${lastPrice}` : '';
      errors.qty = `Order value ${value} ${quote}${at} is below the minimum of ${minimum} ${quote}.`;
    }
  }
  // Post-only must rest on the book, which only a plain limit order does.
  if (values.tif === 'post_only' && values.type !== 'limit') {
    errors.tif = 'Post-only applies to limit orders only.';
  }
  return errors;
}

export function ticketToOrder(values: TicketValues): OrderInput {
  return {
    symbol: values.symbol,
    side: values.side,
    type: values.type,
    tif: values.tif,
    qty: values.qty.trim(),
    reduce_only: values.reduceOnly,
    ...(needsPrice(values.type) ? { price: values.price.trim() } : {}),
    ...(needsStop(values.type) ? { stop_price: values.stopPrice.trim() } : {}),
  };
}

export { needsPrice, needsStop };
