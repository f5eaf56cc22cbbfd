import { Route, Routes } from 'react-router';

import { AcceptInvitationRoute } from '@/features/invitations/routes/accept-invitation-route';
import { NotFoundNotice } from '@/features/invitations/components/not-found-notice';

/** Screens under /invitations/* (accepting an invitation; reachable signed out). */
export default function InvitationsRoutes() {
  return (
    <Routes>
      <Route path="accept" element={<AcceptInvitationRoute />} />
      <Route path="*" element={<NotFoundNotice />} />
    </Routes>
  );
}
