/** The routes of the UI: every page has a URL, and deep links work on reload (the server serves index.html). */
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { onUnauthorized } from '../api/client';
import { Loading } from '../components/Loading';
import { createQueryClient } from './connection';
import { Layout } from './Layout';
import { LoginPage } from './LoginPage';
import { NotFoundPage } from './NotFoundPage';

// Pages load on first visit: the editor's Monaco is large, the list pages are not.
const HomePage = lazy(() => import('../pages/home/HomePage'));
const FlowsPage = lazy(() => import('../pages/flows/FlowsPage'));
const FlowEditorPage = lazy(() => import('../pages/flows/FlowEditorPage'));
const ExecutePage = lazy(() => import('../pages/executions/ExecutePage'));
const ExecutionsPage = lazy(() => import('../pages/executions/ExecutionsPage'));
const ExecutionPage = lazy(() => import('../pages/executions/ExecutionPage'));
const TriggersPage = lazy(() => import('../pages/triggers/TriggersPage'));
const NamespacesPage = lazy(() => import('../pages/namespaces/NamespacesPage'));
const NamespacePage = lazy(() => import('../pages/namespaces/NamespacePage'));
const PluginsPage = lazy(() => import('../pages/plugins/PluginsPage'));
const LogsPage = lazy(() => import('../pages/logs/LogsPage'));
const BlueprintsPage = lazy(() => import('../pages/blueprints/BlueprintsPage'));

const queryClient = createQueryClient();

/** Sends the user to the login page when the server asks for credentials, then back. */
function LoginRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(
    () =>
      onUnauthorized(() => {
        if (location.pathname !== '/login')
          void navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      }),
    [navigate, location],
  );
  return null;
}

function Pages() {
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/flows" element={<FlowsPage />} />
          <Route path="/flows/new" element={<FlowEditorPage />} />
          <Route path="/flows/:namespace/:flowId/execute" element={<ExecutePage />} />
          <Route path="/flows/:namespace/:flowId/:tab?" element={<FlowEditorPage />} />
          <Route path="/executions" element={<ExecutionsPage />} />
          <Route path="/executions/:namespace/:flowId/:executionId/:tab?" element={<ExecutionPage />} />
          <Route path="/logs" element={<LogsPage />} />
          <Route path="/triggers" element={<TriggersPage />} />
          <Route path="/namespaces" element={<NamespacesPage />} />
          <Route path="/namespaces/:namespace/:tab?" element={<NamespacePage />} />
          <Route path="/plugins/:type?" element={<PluginsPage />} />
          <Route path="/blueprints" element={<BlueprintsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <LoginRedirect />
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="*" element={<Pages />} />
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
