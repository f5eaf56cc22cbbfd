import { Route, Routes } from 'react-router';

/** Screens under /alerts/* (this feature owns its sub-routes). */
export default function AlertsRoutes() {
  return (
    <Routes>
      <Route index element={<h2 className="text-xl font-semibold">Alerts</h2>} />
    </Routes>
  );
}
