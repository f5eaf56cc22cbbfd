import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import { useMyListing } from '@/features/publisher/api/get-my-listing';
import { VERSIONS_PAGE, useListingVersions } from '@/features/publisher/api/get-listing-versions';
import { useUpdateListing } from '@/features/publisher/api/update-listing';
import type { Listing } from '@/features/publisher/api/get-my-listings';
import { ListingForm } from '@/features/publisher/components/listing-form';
import { formatPrice, valuesOf } from '@/features/publisher/components/listing-values';
import { ListingStatsPanel } from '@/features/publisher/components/listing-stats';
import { VersionReport } from '@/features/publisher/components/version-report';
import { VersionUploadForm } from '@/features/publisher/components/version-upload-form';
import { VersionsTable } from '@/features/publisher/components/versions-table';
import { ErrorMessage } from '@/shared/components/error-message';
import { EmptyState, Loading } from '@/shared/components/loading';
import { Pager, useKeysetPages } from '@/shared/components/pager';

function EditListing({ listing }: { listing: Listing }) {
  const update = useUpdateListing(listing.id);
  return (
    <section className="card flex flex-col gap-3" aria-labelledby="details-title">
      <h3 id="details-title" className="font-semibold">Listing details</h3>
      <ListingForm key={listing.id} initial={valuesOf(listing)} creating={false} pending={update.isPending} error={update.error}
        submitLabel="Save changes" onSubmit={({ slug: _slug, ...patch }) => update.mutate(patch)} />
      {update.isSuccess && !update.isPending && <p className="text-sm text-up" role="status">Changes saved.</p>}
    </section>
  );
}

function Versions({ listingId }: { listingId: number }) {
  const pages = useKeysetPages();
  const versions = useListingVersions(listingId, pages.before);
  const [params, setParams] = useSearchParams();
  const [uploading, setUploading] = useState(false);
  const selected = params.get('version') ? Number(params.get('version')) : null;
  const select = (id: number) => setParams((p) => { p.set('version', String(id)); return p; }, { replace: true });
  const rows = versions.data ?? [];
  const lastId = rows[rows.length - 1]?.id;

  return (
    <>
      <section className="card flex flex-col gap-3" aria-labelledby="versions-title">
        <div className="flex items-center justify-between gap-2">
          <h3 id="versions-title" className="font-semibold">Versions</h3>
          {!uploading && <button type="button" className="btn-primary" onClick={() => setUploading(true)}>Upload version</button>}
        </div>
        {uploading && (
          <div className="rounded border border-border p-3">
            <VersionUploadForm listingId={listingId} onCancel={() => setUploading(false)}
              onUploaded={(v) => { setUploading(false); pages.reset(); select(v.id); }} />
          </div>
        )}
        {versions.isPending && <Loading label="Loading versions…" />}
        <ErrorMessage error={versions.error} />
        {versions.data && rows.length === 0 && pages.page === 1 && !uploading && (
          <EmptyState>
            No versions yet. Build your strategy (see the strategy ABI: a .wasm module and its JSON manifest) and choose
            <strong> Upload version</strong>: the platform validates it in the sandbox, backtests it, and staff review it before it is published.
          </EmptyState>
        )}
        {rows.length > 0 && <VersionsTable versions={rows} selected={selected} onSelect={select} />}
        <Pager page={pages.page} hasOlder={rows.length >= VERSIONS_PAGE && lastId !== undefined}
          onNewer={pages.newer} onOlder={() => lastId !== undefined && pages.older(lastId)} label="Version pages" />
      </section>
      {selected !== null && (
        <div className="card">
          <VersionReport key={selected} versionId={selected} />
        </div>
      )}
    </>
  );
}

export function ListingRoute() {
  const id = Number(useParams().id);
  const listing = useMyListing(id);
  const l = listing.data;

  return (
    <section className="flex flex-col gap-4">
      <nav className="text-sm"><Link to="/publisher">← Publisher</Link></nav>
      {listing.isPending && <Loading label="Loading the listing…" />}
      <ErrorMessage error={listing.error} />
      {l && (
        <>
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <h2 className="text-xl font-semibold">{l.name}</h2>
            <span className={`text-sm ${l.public ? 'text-up' : 'text-muted'}`}>
              {l.public ? `Public · latest ${l.latest_version}` : 'Not public yet: publish a version'}
            </span>
            <span className="text-sm text-muted">{formatPrice(l.price_cents)}</span>
            {l.public && <Link className="text-sm" to={`/marketplace/${l.slug}`}>View in the marketplace</Link>}
          </div>
          <Versions listingId={l.id} />
          <section className="card flex flex-col gap-3" aria-labelledby="subscribers-title">
            <h3 id="subscribers-title" className="font-semibold">Subscribers and revenue</h3>
            <ListingStatsPanel listingId={l.id} free={!l.price_cents} />
          </section>
          <EditListing listing={l} />
        </>
      )}
    </section>
  );
}

export default ListingRoute;
