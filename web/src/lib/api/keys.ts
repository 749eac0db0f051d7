// The query keys of every resource, in one place: each feature's queries are made with them,
// and the live-update stream (lib/live.ts) invalidates by them, so an event and the queries
// that show its resource cannot drift apart. A key's first element names the resource; lists
// and single resources sit under it, so invalidating the resource refreshes both.
export const keys = {
  me: ['me'] as const,
  portal: ['portal'] as const,
  dashboard: ['dashboard'] as const,
  staff: ['staff'] as const,
  settings: ['settings'] as const,
  branding: ['branding'] as const,
  /** The event log as activity. */
  activity: ['activity'] as const,
  /** The permission catalogue. */
  permissions: ['permissions'] as const,
  clients: {
    all: ['clients'] as const,
    list: (query: object) => ['clients', 'list', query] as const,
    one: (id: string) => ['clients', id] as const,
    contacts: (id: string) => ['clients', id, 'contacts'] as const,
  },
  projects: {
    all: ['projects'] as const,
    list: (query: object) => ['projects', 'list', query] as const,
    one: (id: string) => ['projects', id] as const,
    tasks: (id: string) => ['projects', id, 'tasks'] as const,
  },
  tasks: {
    all: ['tasks'] as const,
    one: (id: string) => ['tasks', id] as const,
  },
  files: {
    all: ['files'] as const,
    list: (query: object) => ['files', 'list', query] as const,
    project: (id: string, query: object) => ['files', 'project', id, query] as const,
    one: (id: string) => ['files', id] as const,
    versions: (id: string) => ['files', id, 'versions'] as const,
    reviews: (id: string) => ['files', id, 'reviews'] as const,
  },
  /** Download links: apart from `files`, so a file's events do not fetch new ones (and reload
   * a preview the reader is in the middle of). */
  fileLinks: (id: string, version: number) => ['file-links', id, version] as const,
  invoices: {
    all: ['invoices'] as const,
    list: (query: object) => ['invoices', 'list', query] as const,
    one: (id: string) => ['invoices', id] as const,
    statement: (clientId: string) => ['invoices', 'statement', clientId] as const,
    aging: ['invoices', 'aging'] as const,
  },
  users: {
    all: ['users'] as const,
    list: (query: object) => ['users', 'list', query] as const,
  },
  roles: {
    all: ['roles'] as const,
    list: (kind?: string) => ['roles', 'list', kind ?? 'all'] as const,
  },
  /** The audit log (admins). */
  audit: {
    all: ['audit'] as const,
    list: (filters: object) => ['audit', 'list', filters] as const,
  },
  /** Webhook endpoints and their deliveries. */
  webhooks: {
    all: ['webhooks'] as const,
    deliveries: (id: string) => ['webhooks', id, 'deliveries'] as const,
  },
  /** API keys for integrators (admins). */
  apiKeys: {
    all: ['api-keys'] as const,
  },
  /** A Client Admin's own account's team. */
  team: {
    all: ['team'] as const,
    members: ['team', 'members'] as const,
    contacts: ['team', 'contacts'] as const,
    roles: ['team', 'roles'] as const,
  },
  /** The caller's second factor. */
  twoFactor: ['two-factor'] as const,
  /** The caller's signed-in devices. */
  sessions: {
    all: ['sessions'] as const,
    mine: ['sessions', 'mine'] as const,
  },
  notifications: {
    all: ['notifications'] as const,
    list: (query: object) => ['notifications', 'list', query] as const,
    unread: ['notifications', 'unread'] as const,
    preferences: ['notifications', 'preferences'] as const,
  },
};
