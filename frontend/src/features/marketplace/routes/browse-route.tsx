import { useCallback } from 'react';
import { Link, useSearchParams } from 'react-router';

import { useFacets } from '@/features/marketplace/api/get-facets';
import { LISTINGS_PAGE_SIZE, useListings } from '@/features/marketplace/api/get-listings';
import { browseQueryOf, withParam } from '@/features/marketplace/components/browse-params';
import { ListingCard } from '@/features/marketplace/components/listing-card';
import { ListingFilters } from '@/features/marketplace/components/listing-filters';
import { PagePager } from '@/features/marketplace/components/page-pager';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';

/** /marketplace: the catalogue of published strategies, searchable, filtered, sorted and paged. */
export function BrowseRoute() {
  const [params, setParams] = useSearchParams();
  const query = browseQueryOf(params);
  const listings = useListings(query);
  const facets = useFacets();
  const onChange = useCallback(
    (name: string, value: string) => setParams((current) => withParam(current, name, value), { replace: name === 'q' }),
    [setParams],
  );
  // Clearing the filters keeps the chosen order.
  const clear = () => setParams(query.sort ? { sort: query.sort } : {});
  const page = query.page ?? 1;
  const total = listings.data?.total ?? 0;
  const pages = Math.ceil(total / LISTINGS_PAGE_SIZE);

  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-xl font-semibold">Marketplace</h2>
        <Link to="/marketplace/subscriptions" className="text-sm">My subscriptions</Link>
      </div>
      <p className="text-sm text-muted">
        Strategies published by other traders and by the platform. Every number on this page is computed by the
        platform from the same simulated data set, not reported by the author.
      </p>
      <ListingFilters params={params} facets={facets.data} onChange={onChange} onClear={clear} />
      <ErrorMessage error={listings.error} />
      {listings.isPending && <Loading label="Loading listings…" />}
      {listings.data && (
        <>
          <p className="text-sm text-muted" role="status" aria-live="polite">
            {total} listing{total === 1 ? '' : 's'}
            {query.q ? ` matching “${query.q}”` : ''}
            {listings.isPlaceholderData ? ' · updating…' : ''}
          </p>
          {listings.data.rows.length === 0 ? (
            <EmptyState>No listing matches. Try fewer filters or another search.</EmptyState>
          ) : (
            <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" aria-label="Listings">
              {listings.data.rows.map((listing) => <ListingCard key={listing.id} listing={listing} />)}
            </div>
          )}
          <PagePager page={page} pages={pages} onPage={(next) => onChange('page', next > 1 ? String(next) : '')} />
        </>
      )}
    </section>
  );
}

export default BrowseRoute;
