import { createBrowserRouter, Navigate } from 'react-router';
import { RequireRole } from './auth/RequireRole.tsx';
import { SessionGate } from './auth/SessionGate.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { ChangePasswordPage } from './pages/ChangePasswordPage.tsx';
import { CampaignPage } from './pages/campaigns/CampaignPage.tsx';
import { CampaignsPage } from './pages/campaigns/CampaignsPage.tsx';
import { NewCampaignPage } from './pages/campaigns/NewCampaignPage.tsx';
import { ContactPage } from './pages/contacts/ContactPage.tsx';
import { ContactsPage } from './pages/contacts/ContactsPage.tsx';
import { FirstRunPage } from './pages/FirstRunPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { SendersPage } from './pages/senders/SendersPage.tsx';
import { AccountPage } from './pages/settings/AccountPage.tsx';
import { ApiKeysPage } from './pages/settings/ApiKeysPage.tsx';
import { AuditLogPage } from './pages/settings/AuditLogPage.tsx';
import { RetentionPage } from './pages/settings/RetentionPage.tsx';
import { SettingsHome } from './pages/settings/SettingsHome.tsx';
import { SettingsLayout } from './pages/settings/SettingsLayout.tsx';
import { UsersPage } from './pages/settings/UsersPage.tsx';
import { TemplatesPage } from './pages/templates/TemplatesPage.tsx';

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
          { path: 'contacts', element: <ContactsPage /> },
          { path: 'contacts/:phone', element: <ContactPage /> },
          { path: 'templates', element: <TemplatesPage /> },
          { path: 'campaigns', element: <CampaignsPage /> },
          { path: 'campaigns/new', element: <NewCampaignPage /> },
          { path: 'campaigns/:id', element: <CampaignPage /> },
          { path: 'senders', element: <SendersPage /> },
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
              {
                path: 'retention',
                element: (
                  <RequireRole needs="admin">
                    <RetentionPage />
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
