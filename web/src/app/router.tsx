import { createBrowserRouter, Navigate } from 'react-router';
import { Shell, RequireSignIn } from './shell';
import { LoginPage, AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage } from '@/features/auth/auth-pages';
import { PortalHome } from '@/features/portal/portal-home';
import { ProjectsPage, ProjectDetailPage } from '@/features/projects/client-projects';
import { MyTasksPage } from '@/features/projects/client-tasks';
import { StaffProjectsPage, BoardPage } from '@/features/projects/staff-projects';
import { TaskPage } from '@/features/tasks/task-page';
import { BillingPage, InvoicePage, StatementPage } from '@/features/billing/client-billing';
import { ReceivablesPage, StaffStatementPage } from '@/features/billing/receivables';
import {
  StaffInvoicesPage,
  NewInvoicePage,
  StaffInvoicePage,
  EditInvoicePage,
} from '@/features/billing/staff-invoices';
import { ProfilePage } from '@/features/profile/profile-page';
import { NotificationsPage } from '@/features/profile/notifications-page';
import { DashboardPage } from '@/features/dashboard/dashboard-page';
import { ClientsPage, ClientDetailPage } from '@/features/clients/clients-pages';
import { UsersPage } from '@/features/users/users-page';
import { UserPage } from '@/features/users/user-page';
import { TeamPage } from '@/features/team/team-page';
import { ApiKeysPage } from '@/features/api-keys/api-keys-page';
import { SettingsPage } from '@/features/settings/settings-page';
import { AuditLogPage } from '@/features/audit/audit-log-page';
import { WebhooksPage } from '@/features/webhooks/webhooks-page';
import { FilePage } from '@/features/files/file-page';
import { ProjectFiles } from '@/features/files/project-files';
import { ClientHomeFiles, DashboardFiles } from '@/features/files/widgets';
import { SearchPage } from '@/features/search/search-page';
import { ProjectActivity, SinceLastVisit } from '@/features/activity/activity';
import { SurveyLinkPage, SurveyPage, SurveyPrompts } from '@/features/surveys/survey-pages';
import { MetricsPage } from '@/features/metrics/metrics-page';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/accept-invitation', element: <AcceptInvitationPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  { path: '/survey', element: <SurveyLinkPage /> },
  {
    element: (
      <RequireSignIn>
        <Shell />
      </RequireSignIn>
    ),
    children: [
      {
        index: true,
        element: (
          <PortalHome
            widgets={
              <>
                <SurveyPrompts />
                <ClientHomeFiles />
              </>
            }
            sinceLastVisit={(at) => <SinceLastVisit since={at} />}
          />
        ),
      },
      { path: 'projects', element: <ProjectsPage /> },
      { path: 'projects/:id', element: <ProjectDetailPage files={<ProjectFiles />} /> },
      { path: 'files/:id', element: <FilePage /> },
      { path: 'tasks', element: <MyTasksPage /> },
      { path: 'tasks/:id', element: <TaskPage /> },
      { path: 'billing', element: <BillingPage /> },
      { path: 'billing/statement', element: <StatementPage /> },
      { path: 'billing/:id', element: <InvoicePage /> },
      { path: 'team', element: <TeamPage /> },
      { path: 'profile', element: <ProfilePage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: 'surveys/:id', element: <SurveyPage /> },
      { path: 'search', element: <SearchPage staff={false} /> },
      { path: 'staff/search', element: <SearchPage staff /> },
      { path: 'staff', element: <DashboardPage widgets={<DashboardFiles />} /> },
      { path: 'staff/clients', element: <ClientsPage /> },
      { path: 'staff/clients/:id', element: <ClientDetailPage /> },
      { path: 'staff/clients/:id/statement', element: <StaffStatementPage /> },
      { path: 'staff/receivables', element: <ReceivablesPage /> },
      { path: 'staff/metrics', element: <MetricsPage /> },
      { path: 'staff/projects', element: <StaffProjectsPage /> },
      { path: 'staff/projects/:id', element: <BoardPage files={<ProjectFiles />} activity={<ProjectActivity />} /> },
      { path: 'staff/files/:id', element: <FilePage /> },
      { path: 'staff/tasks/:id', element: <TaskPage /> },
      { path: 'staff/invoices', element: <StaffInvoicesPage /> },
      { path: 'staff/invoices/new', element: <NewInvoicePage /> },
      { path: 'staff/invoices/:id', element: <StaffInvoicePage /> },
      { path: 'staff/invoices/:id/edit', element: <EditInvoicePage /> },
      { path: 'staff/users', element: <UsersPage /> },
      { path: 'staff/users/:id', element: <UserPage /> },
      { path: 'staff/settings', element: <SettingsPage /> },
      { path: 'staff/api-keys', element: <ApiKeysPage /> },
      { path: 'staff/audit-log', element: <AuditLogPage /> },
      { path: 'staff/webhooks', element: <WebhooksPage /> },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
