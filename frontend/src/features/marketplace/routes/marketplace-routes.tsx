import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';

import { BrowseRoute } from '@/features/marketplace/routes/browse-route';
import { SubscriptionsRoute } from '@/features/marketplace/routes/subscriptions-route';
import { Loading } from '@/shared/components/loading';

// The listing page draws charts: ECharts loads with it, not with the catalogue.
const ListingRoute = lazy(() => import('@/features/marketplace/routes/listing-route'));

/** Stripe Connect onboarding returns to /marketplace/publisher (billing.connect_*_url): the publisher screens. */
function ToPublisher() {
  const { search } = useLocation();
  return <Navigate to={`/publisher${search}`} replace />;
}

/** Screens under /marketplace/* (this feature owns its sub-routes). */
export default function MarketplaceRoutes() {
  return (
    <Routes>
      <Route index element={<BrowseRoute />} />
      <Route path="subscriptions" element={<SubscriptionsRoute />} />
      <Route path="publisher" element={<ToPublisher />} />
      <Route
        path=":slug"
        element={
          <Suspense fallback={<Loading />}>
            <ListingRoute />
          </Suspense>
        }
      />
    </Routes>
  );
}
