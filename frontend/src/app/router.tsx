import type { RouteObject } from 'react-router';

import { NotFoundRoute } from '@/app/routes/not-found';
import { RootLayout } from '@/app/routes/root-layout';
import { StatusRoute } from '@/features/status/routes/status-route';

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <RootLayout />,
    children: [
      { index: true, element: <StatusRoute /> },
      { path: 'status', element: <StatusRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];
