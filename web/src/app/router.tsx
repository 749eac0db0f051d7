import { createBrowserRouter, Navigate } from 'react-router';
import { Shell, RequireSignIn } from './Shell';
import { LoginPage, AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage } from '@/features/auth/pages';
import { PortalHome } from '@/features/portal/PortalHome';
import { ProjectsPage, ProjectDetailPage } from '@/features/projects/pages';
import { TaskPage } from '@/features/tasks/TaskPage';
import { BillingPage, InvoicePage } from '@/features/billing/pages';
import { ProfilePage } from '@/features/profile/ProfilePage';
import { NotificationsPage } from '@/features/profile/NotificationsPage';
import { DashboardPage } from '@/features/staff/DashboardPage';
import { ClientsPage, ClientDetailPage } from '@/features/staff/clients';
import { StaffProjectsPage, BoardPage } from '@/features/staff/projects';
import { StaffInvoicesPage, NewInvoicePage, StaffInvoicePage } from '@/features/staff/invoices';
import { UsersPage } from '@/features/staff/users';
import { SettingsPage } from '@/features/staff/settings';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/accept-invitation', element: <AcceptInvitationPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  {
    element: (
      <RequireSignIn>
        <Shell />
      </RequireSignIn>
    ),
    children: [
      { index: true, element: <PortalHome /> },
      { path: 'projects', element: <ProjectsPage /> },
      { path: 'projects/:id', element: <ProjectDetailPage /> },
      { path: 'tasks/:id', element: <TaskPage /> },
      { path: 'billing', element: <BillingPage /> },
      { path: 'billing/:id', element: <InvoicePage /> },
      { path: 'profile', element: <ProfilePage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: 'staff', element: <DashboardPage /> },
      { path: 'staff/clients', element: <ClientsPage /> },
      { path: 'staff/clients/:id', element: <ClientDetailPage /> },
      { path: 'staff/projects', element: <StaffProjectsPage /> },
      { path: 'staff/projects/:id', element: <BoardPage /> },
      { path: 'staff/tasks/:id', element: <TaskPage /> },
      { path: 'staff/invoices', element: <StaffInvoicesPage /> },
      { path: 'staff/invoices/new', element: <NewInvoicePage /> },
      { path: 'staff/invoices/:id', element: <StaffInvoicePage /> },
      { path: 'staff/users', element: <UsersPage /> },
      { path: 'staff/settings', element: <SettingsPage /> },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
