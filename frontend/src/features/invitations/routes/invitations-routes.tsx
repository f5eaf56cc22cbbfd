import { Route, Routes } from 'react-router';

/** Screens under /invitations/* (accepting an invitation; reachable signed out). */
export default function InvitationsRoutes() {
  return (
    <Routes>
      <Route path="accept" element={<h2 className="text-xl font-semibold">Invitation</h2>} />
    </Routes>
  );
}
