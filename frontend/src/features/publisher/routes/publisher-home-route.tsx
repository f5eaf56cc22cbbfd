import { useState } from 'react';
import { useNavigate } from 'react-router';

import { useCreateListing } from '@/features/publisher/api/create-listing';
import { LISTINGS_PAGE, useMyListings } from '@/features/publisher/api/get-my-listings';
import { type PublisherState, usePublisher } from '@/features/publisher/api/get-publisher';
import { ListingForm } from '@/features/publisher/components/listing-form';
import { emptyListing } from '@/features/publisher/components/listing-values';
import { ListingsTable } from '@/features/publisher/components/listings-table';
import { PayoutsStatus, PublisherProfileForm } from '@/features/publisher/components/publisher-profile';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

function CreateListing({ onClose }: { onClose: () => void }) {
  const create = useCreateListing();
  const navigate = useNavigate();
  return (
    <section className="card flex flex-col gap-3" aria-labelledby="new-listing-title">
      <div className="flex items-center justify-between">
        <h3 id="new-listing-title" className="font-semibold">New listing</h3>
        <button type="button" className="btn text-xs" onClick={onClose}>Cancel</button>
      </div>
      <ListingForm initial={emptyListing} creating pending={create.isPending} error={create.error} submitLabel="Create listing"
        onSubmit={(input) => create.mutate(input, { onSuccess: (listing) => navigate(`/publisher/listings/${listing.id}`) })} />
    </section>
  );
}

function Listings({ publisher }: { publisher: PublisherState }) {
  const pages = useKeysetPages();
  const listings = useMyListings(pages.before);
  const [creating, setCreating] = useState(false);
  const rows = listings.data ?? [];
  const lastId = rows[rows.length - 1]?.id;
  return (
    <>
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-lg font-semibold">My listings</h3>
        {!creating && publisher.enabled && (
          <button type="button" className="btn-primary" onClick={() => setCreating(true)}>New listing</button>
        )}
      </div>
      {creating && <CreateListing onClose={() => setCreating(false)} />}
      <div className="card flex flex-col gap-2 p-2 sm:p-4">
        {listings.isPending && <Loading label="Loading listings…" />}
        <ErrorMessage error={listings.error} />
        {listings.data && rows.length === 0 && pages.page === 1 && (
          <EmptyState>
            No listings yet. Create one with <strong>New listing</strong>, then upload a built strategy module (.wasm and its
            manifest) as its first version: the platform validates and backtests it, and staff review it before it is published.
          </EmptyState>
        )}
        {rows.length > 0 && <ListingsTable listings={rows} />}
        <Pager page={pages.page} hasOlder={rows.length >= LISTINGS_PAGE && lastId !== undefined}
          onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Listing pages" />
      </div>
    </>
  );
}

export function PublisherHomeRoute() {
  const publisher = usePublisher();
  const data = publisher.data;
  const active = !!data && data.id !== null && data.enabled;

  return (
    <section className="flex flex-col gap-4">
      <h2 className="text-xl font-semibold">Publisher</h2>
      {publisher.isPending && <Loading label="Loading your publisher profile…" />}
      <ErrorMessage error={publisher.error} />
      {data && (
        <div className="grid gap-4 md:grid-cols-2">
          <section className="card flex flex-col gap-2" aria-labelledby="profile-title">
            <h3 id="profile-title" className="font-semibold">{active ? data.display_name : 'Become a publisher'}</h3>
            <PublisherProfileForm key={data.display_name} publisher={data} />
          </section>
          <section className="card flex flex-col gap-2" aria-labelledby="payouts-title">
            <h3 id="payouts-title" className="font-semibold">Payouts (Stripe Connect)</h3>
            {active ? <PayoutsStatus publisher={data} /> : <p className="text-sm text-muted">Create your publisher profile first.</p>}
          </section>
        </div>
      )}
      {active && <Listings publisher={data} />}
    </section>
  );
}

export default PublisherHomeRoute;
