import { createBrowserRouter, Navigate } from 'react-router';
import { RequireRole } from './auth/RequireRole.tsx';
import { SessionGate } from './auth/SessionGate.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { ChangePasswordPage } from './pages/ChangePasswordPage.tsx';
import { ComingSoonPage } from './pages/ComingSoonPage.tsx';
import { FirstRunPage } from './pages/FirstRunPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { AccountPage } from './pages/settings/AccountPage.tsx';
import { ApiKeysPage } from './pages/settings/ApiKeysPage.tsx';
import { AuditLogPage } from './pages/settings/AuditLogPage.tsx';
import { OutboundWebhooksPage } from './pages/settings/OutboundWebhooksPage.tsx';
import { SettingsHome } from './pages/settings/SettingsHome.tsx';
import { SettingsLayout } from './pages/settings/SettingsLayout.tsx';
import { SignupFormsPage } from './pages/settings/SignupFormsPage.tsx';
import { UsersPage } from './pages/settings/UsersPage.tsx';

/** Every page of the dashboard; the server answers index.html for each of these paths. */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/setup', element: <FirstRunPage /> },
  {
    element: <SessionGate />,
    children: [
      { path: '/change-password', element: <ChangePasswordPage /> },
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <OverviewPage /> },
          {
            path: 'contacts/*',
            element: (
              <ComingSoonPage
                title="Contacts"
                what="Import contacts from a CSV file, search them, and see each person's consent history."
              />
            ),
          },
          {
            path: 'templates/*',
            element: (
              <ComingSoonPage
                title="Templates"
                what="Your approved WhatsApp templates with their status, category and quality, and a preview."
              />
            ),
          },
          {
            path: 'campaigns/*',
            element: (
              <ComingSoonPage
                title="Campaigns"
                what="Create a campaign step by step, start it, and watch every message go from pending to read."
              />
            ),
          },
          {
            path: 'senders/*',
            element: (
              <ComingSoonPage
                title="Senders"
                what="Your WhatsApp phone numbers, their limits and quality, and the webhook to give Meta."
              />
            ),
          },
          {
            path: 'settings',
            element: <SettingsLayout />,
            children: [
              { index: true, element: <SettingsHome /> },
              { path: 'account', element: <AccountPage /> },
              {
                path: 'users',
                element: (
                  <RequireRole needs="admin">
                    <UsersPage />
                  </RequireRole>
                ),
              },
              {
                path: 'api-keys',
                element: (
                  <RequireRole needs="admin">
                    <ApiKeysPage />
                  </RequireRole>
                ),
              },
              {
                path: 'audit',
                element: (
                  <RequireRole needs="admin">
                    <AuditLogPage />
                  </RequireRole>
                ),
              },
              { path: 'forms', element: <SignupFormsPage /> },
              {
                path: 'webhooks',
                element: (
                  <RequireRole needs="admin">
                    <OutboundWebhooksPage />
                  </RequireRole>
                ),
              },
              { path: '*', element: <Navigate to="/settings" replace /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
