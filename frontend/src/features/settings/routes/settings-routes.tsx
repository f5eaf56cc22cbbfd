import { Route, Routes } from 'react-router';

/** Screens under /settings/* (this feature owns its sub-routes). */
export default function SettingsRoutes() {
  return (
    <Routes>
      <Route index element={<h2 className="text-xl font-semibold">Settings</h2>} />
    </Routes>
  );
}
