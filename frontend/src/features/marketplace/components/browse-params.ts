import type { BrowseQuery, Sort } from '@/features/marketplace/api/get-listings';

// The browse screen keeps its search, filters, sort and page in the URL (?q=&category=&sort=&page=),
// so Back, reloads and shared links show the same list. Values the API would refuse are dropped here.
export const SORTS: [Sort, string][] = [
  ['newest', 'Newest'],
  ['subscribers', 'Most subscribers'],
  ['return', 'Best backtest return'],
  ['sharpe', 'Best Sharpe ratio'],
  ['drawdown', 'Shallowest drawdown'],
  ['rating', 'Top rated'],
  ['price', 'Price: low to high'],
  ['-price', 'Price: high to low'],
];
const SORT_VALUES = new Set<string>(SORTS.map(([value]) => value));
const INTERVALS = new Set(['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d', '1w']);
const RISK_LEVELS = new Set(['low', 'medium', 'high']);

/** The text filters a user can set; each maps to the API parameter of the same name. */
export const TEXT_FILTERS = ['category', 'tag', 'market'] as const;
export type Price = '' | 'free' | 'paid';

export function browseQueryOf(params: URLSearchParams): BrowseQuery {
  const query: BrowseQuery = {};
  const q = params.get('q')?.trim();
  if (q) query.q = q.slice(0, 100);
  for (const name of TEXT_FILTERS) {
    const value = params.get(name)?.trim();
    if (value) query[name] = value;
  }
  const interval = params.get('interval') ?? '';
  if (INTERVALS.has(interval)) query.interval = interval as BrowseQuery['interval'];
  const risk = params.get('risk_level') ?? '';
  if (RISK_LEVELS.has(risk)) query.risk_level = risk as BrowseQuery['risk_level'];
  const price = params.get('price');
  if (price === 'free' || price === 'paid') query.free = price === 'free';
  const sort = params.get('sort') ?? '';
  if (SORT_VALUES.has(sort)) query.sort = sort as Sort;
  const page = Number(params.get('page'));
  if (Number.isInteger(page) && page > 1 && page <= 1000) query.page = page;
  return query;
}

/** The URL after one change: any change but paging goes back to page 1; empty values are removed. */
export function withParam(params: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(name, value);
  else next.delete(name);
  if (name !== 'page') next.delete('page');
  return next;
}

export const FILTER_PARAMS = ['q', ...TEXT_FILTERS, 'interval', 'risk_level', 'price'] as const;
