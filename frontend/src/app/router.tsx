import type { ComponentType } from 'react';
import { Navigate, type RouteObject } from 'react-router';

import { NotFoundRoute } from '@/app/routes/not-found';
import { RootLayout } from '@/app/routes/root-layout';
import { RequireAuth } from '@/features/auth/components/require-auth';

type RouteModule = { default: ComponentType };

/** Route-level code splitting: each screen is its own chunk, loaded on first visit. */
function lazyRoute(load: () => Promise<RouteModule>, { requiresAuth = true } = {}): RouteObject['lazy'] {
  return async () => {
    const { default: Screen } = await load();
    return {
      Component: requiresAuth
        ? () => (
            <RequireAuth>
              <Screen />
            </RequireAuth>
          )
        : Screen,
    };
  };
}

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <RootLayout />,
    children: [
      { index: true, element: <Navigate to="/markets" replace /> },
      { path: 'login', lazy: lazyRoute(() => import('@/features/auth/routes/login-route'), { requiresAuth: false }) },
      { path: 'signup', lazy: lazyRoute(() => import('@/features/auth/routes/sign-up-route'), { requiresAuth: false }) },
      { path: 'forgot-password', lazy: lazyRoute(() => import('@/features/auth/routes/forgot-password-route'), { requiresAuth: false }) },
      { path: 'reset-password', lazy: lazyRoute(() => import('@/features/auth/routes/reset-password-route'), { requiresAuth: false }) },
      { path: 'status', lazy: lazyRoute(() => import('@/features/status/routes/status-route'), { requiresAuth: false }) },
      { path: 'markets', lazy: lazyRoute(() => import('@/features/markets/routes/markets-route')) },
      { path: 'markets/:exchange/:symbol', lazy: lazyRoute(() => import('@/features/markets/routes/chart-route')) },
      { path: 'paper', lazy: lazyRoute(() => import('@/features/paper/routes/accounts-route')) },
      { path: 'paper/:accountId', lazy: lazyRoute(() => import('@/features/paper/routes/account-route')) },
      { path: 'backtests', lazy: lazyRoute(() => import('@/features/backtests/routes/backtests-route')) },
      { path: 'backtests/compare', lazy: lazyRoute(() => import('@/features/backtests/routes/compare-route')) },
      { path: 'backtests/:backtestId', lazy: lazyRoute(() => import('@/features/backtests/routes/backtest-route')) },
      { path: 'marketplace/*', lazy: lazyRoute(() => import('@/features/marketplace/routes/marketplace-routes')) },
      { path: 'deployments/*', lazy: lazyRoute(() => import('@/features/deployments/routes/deployments-routes')) },
      { path: 'alerts/*', lazy: lazyRoute(() => import('@/features/alerts/routes/alerts-routes')) },
      { path: 'publisher/*', lazy: lazyRoute(() => import('@/features/publisher/routes/publisher-routes')) },
      { path: 'settings/*', lazy: lazyRoute(() => import('@/features/settings/routes/settings-routes')) },
      { path: 'invitations/*', lazy: lazyRoute(() => import('@/features/invitations/routes/invitations-routes'), { requiresAuth: false }) },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];
