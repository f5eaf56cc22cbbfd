import type { Listing } from '@/features/publisher/api/get-my-listings';
import type { ListingInput } from '@/features/publisher/api/create-listing';

export const INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d', '1w'] as const;
export const CATEGORIES = ['trend', 'mean-reversion', 'momentum', 'breakout', 'volatility', 'arbitrage', 'other'];
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export const MAX_PRICE_CENTS = 100_000_00;

/** The listing form's state: text as typed; parsed and checked by validateListing. */
export type ListingValues = {
  name: string;
  slug: string;
  summary: string;
  description: string;
  category: string;
  tags: string;
  markets: string;
  intervals: string[];
  riskLevel: (typeof RISK_LEVELS)[number];
  pricing: 'free' | 'monthly';
  price: string;
};

export type ListingErrors = Partial<Record<keyof ListingValues, string>>;

export const emptyListing: ListingValues = {
  name: '',
  slug: '',
  summary: '',
  description: '',
  category: 'trend',
  tags: '',
  markets: 'sim:BTC-USDT',
  intervals: ['1m'],
  riskLevel: 'medium',
  pricing: 'free',
  price: '',
};

export function valuesOf(listing: Listing): ListingValues {
  const cents = listing.price_cents ?? 0;
  return {
    name: listing.name,
    slug: listing.slug,
    summary: listing.summary,
    description: listing.description_md ?? '',
    category: listing.category,
    tags: (listing.tags ?? []).join(', '),
    markets: (listing.markets ?? []).join(', '),
    intervals: listing.intervals ?? [],
    riskLevel: listing.risk_level ?? 'medium',
    pricing: cents > 0 ? 'monthly' : 'free',
    price: cents > 0 ? (cents / 100).toFixed(2) : '',
  };
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

export function splitList(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}

/** "9.99" -> 999; null when it is not an amount with at most two decimals. */
export function priceToCents(price: string): number | null {
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(price.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Client-side checks mirroring the API's (it checks again and its message is shown if it refuses). */
export function validateListing(values: ListingValues, { creating }: { creating: boolean }): ListingErrors {
  const errors: ListingErrors = {};
  if (!values.name.trim()) errors.name = 'Give the listing a name.';
  else if (values.name.trim().length > 100) errors.name = 'At most 100 characters.';
  if (creating && !/^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/.test(values.slug)) {
    errors.slug = '3 to 64 lower-case letters, digits and dashes (not at either end).';
  }
  if (!values.summary.trim()) errors.summary = 'Write a one-line summary.';
  else if (values.summary.length > 280) errors.summary = `At most 280 characters (${values.summary.length} now).`;
  if (values.description.length > 20_000) errors.description = 'At most 20,000 characters.';
  if (!values.category.trim()) errors.category = 'Choose a category.';
  else if (values.category.trim().length > 32) errors.category = 'At most 32 characters.';
  const tags = splitList(values.tags);
  if (tags.length > 10) errors.tags = 'At most 10 tags.';
  else if (tags.some((t) => t.length > 32)) errors.tags = 'Each tag: at most 32 characters.';
  const markets = splitList(values.markets);
  if (markets.length > 20) errors.markets = 'At most 20 markets.';
  else if (markets.some((m) => !/^[a-z0-9_-]+:[A-Z0-9._-]+$/i.test(m) || m.length > 64)) {
    errors.markets = 'Markets are exchange:SYMBOL, e.g. sim:BTC-USDT.';
  }
  if (values.pricing === 'monthly') {
    const cents = priceToCents(values.price);
    if (values.price.trim() === '') errors.price = 'Enter the monthly price, or choose Free.';
    else if (cents === null) errors.price = 'Enter an amount like 19 or 19.99 (at most two decimals).';
    else if (cents < 50) errors.price = 'A paid listing costs at least 0.50 a month (the card networks\' minimum); choose Free for 0.';
    else if (cents > MAX_PRICE_CENTS) errors.price = 'At most 100,000.00 a month.';
  }
  return errors;
}

export function toListingInput(values: ListingValues): ListingInput {
  return {
    name: values.name.trim(),
    slug: values.slug,
    summary: values.summary.trim(),
    description: values.description,
    category: values.category.trim(),
    tags: splitList(values.tags),
    markets: splitList(values.markets),
    intervals: values.intervals,
    risk_level: values.riskLevel,
    price_cents: values.pricing === 'monthly' ? (priceToCents(values.price) ?? 0) : 0,
  };
}

export function formatPrice(cents: number | undefined, currency = 'USD'): string {
  if (!cents) return 'Free';
  return `${(cents / 100).toLocaleString('en-US', { style: 'currency', currency })} / month`;
}
