/**
 * Kestra's UI addresses (`/ui/…`, with or without the tenant segment `main`) answered with a
 * redirect to the same page of ours, so a bookmark or a link copied from Kestra keeps working.
 * The mapping follows Kestra's UI routes (ui/src/routes/routes.js): `flows/edit/:namespace/:id/:tab?`,
 * `executions/:namespace/:flowId/:id/:tab?`, `namespaces/edit/:id/:tab?`, `plugins/:cls/:version?`,
 * `kv`, `admin/triggers`, `dashboards`. Any other path keeps its segments under `/` (our page of
 * that name, or our not-found page).
 */
import type { FastifyInstance } from 'fastify';

const TENANT = 'main';

// Kestra's tab names that have a page of ours; any other tab opens the page's default tab.
const FLOW_TABS: Record<string, string> = {
  edit: 'edit',
  overview: 'edit',
  topology: 'edit',
  revisions: 'revisions',
  executions: 'executions',
};
const EXECUTION_TABS: Record<string, string> = {
  gantt: '',
  topology: 'topology',
  logs: 'logs',
  outputs: 'outputs',
  overview: 'overview',
};
const NAMESPACE_TABS: Record<string, string> = { kv: 'kv', files: 'files', flows: 'flows' };

function path(...segments: string[]): string {
  return `/${segments
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/')}`;
}

function withTab(base: string, tab: string | undefined, tabs: Record<string, string>): string {
  const ours = tab === undefined ? undefined : tabs[tab];
  return ours ? `${base}/${ours}` : base;
}

/**
 * Our page for a Kestra UI path (after `/ui`, without its query), e.g. `/main/flows/edit/ns/id`
 * → `/flows/ns/id/edit`. `segments` are already decoded.
 */
export function ourPageFor(segments: string[]): string {
  const parts = segments[0] === TENANT ? segments.slice(1) : segments;
  const [page = '', ...rest] = parts;
  switch (page) {
    case '':
    case 'dashboards':
    case 'welcome':
      return '/';
    case 'flows': {
      if (rest[0] === 'edit' && rest.length >= 3)
        return withTab(path('flows', rest[1]!, rest[2]!), rest[3], FLOW_TABS);
      if (rest[0] === 'new') return '/flows/new';
      return '/flows';
    }
    case 'executions': {
      if (rest.length >= 3)
        return withTab(path('executions', rest[0]!, rest[1]!, rest[2]!), rest[3], EXECUTION_TABS);
      return '/executions';
    }
    case 'namespaces': {
      if (rest[0] === 'edit' && rest.length >= 2)
        return withTab(path('namespaces', rest[1]!), rest[2], NAMESPACE_TABS);
      return '/namespaces';
    }
    // Kestra's KV page lists every namespace's keys; ours are on each namespace's page.
    case 'kv':
      return '/namespaces';
    case 'plugins':
      return rest[0] ? path('plugins', rest[0]) : '/plugins';
    // Kestra's `blueprints/:kind/:tab/:id?` gallery of community blueprints: ours is one page.
    case 'blueprints':
      return '/blueprints';
    case 'admin':
      return rest[0] === 'triggers' ? '/triggers' : '/';
    default:
      return path(...parts);
  }
}

/** Redirects every GET of `/ui` and `/ui/…` to our page (302: the mapping may improve). */
export function registerKestraUiRedirects(app: FastifyInstance): void {
  const redirect = (url: string) => {
    const queryAt = url.indexOf('?');
    const pathname = queryAt < 0 ? url : url.slice(0, queryAt);
    const query = queryAt < 0 ? '' : url.slice(queryAt);
    const segments = pathname
      .split('/')
      .slice(2)
      .filter((s) => s !== '')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    return `${ourPageFor(segments)}${query}`;
  };
  for (const url of ['/ui', '/ui/*'])
    app.get(url, { schema: { hide: true } }, (request, reply) => reply.redirect(redirect(request.url), 302));
}
