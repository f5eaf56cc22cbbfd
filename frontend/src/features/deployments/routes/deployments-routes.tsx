import { Route, Routes } from 'react-router';

/** Screens under /deployments/* (this feature owns its sub-routes). */
export default function DeploymentsRoutes() {
  return (
    <Routes>
      <Route index element={<h2 className="text-xl font-semibold">Deployments</h2>} />
    </Routes>
  );
}
