import { Route, Routes } from 'react-router';

import { ListingRoute } from '@/features/publisher/routes/listing-route';
import { PublisherHomeRoute } from '@/features/publisher/routes/publisher-home-route';

/** Screens under /publisher/* (this feature owns its sub-routes). */
export default function PublisherRoutes() {
  return (
    <Routes>
      <Route index element={<PublisherHomeRoute />} />
      <Route path="listings/:id" element={<ListingRoute />} />
    </Routes>
  );
}
