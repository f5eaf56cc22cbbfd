import { Route, Routes } from 'react-router';

/** Screens under /marketplace/* (this feature owns its sub-routes). */
export default function MarketplaceRoutes() {
  return (
    <Routes>
      <Route index element={<h2 className="text-xl font-semibold">Marketplace</h2>} />
    </Routes>
  );
}
