import { Route, Routes } from 'react-router';

/** Screens under /publisher/* (this feature owns its sub-routes). */
export default function PublisherRoutes() {
  return (
    <Routes>
      <Route index element={<h2 className="text-xl font-semibold">Publisher</h2>} />
    </Routes>
  );
}
