// The permission catalogue the UI offers. A `Record` over the server's `Perm` enum, so a
// permission the server adds fails the type check until it is described here.
import type { Perm } from './authorization';

interface PermissionInfo {
  /** Whether a client-kind role (or a key held to a client account) may hold it. */
  client: boolean;
  /** What it lets one do, in a few words. */
  summary: string;
}

export const PERMISSIONS: Record<Perm, PermissionInfo> = {
  'projects.read': { client: true, summary: 'read projects' },
  'tasks.read': { client: true, summary: 'read tasks and their Replies' },
  'comments.reply': { client: true, summary: 'post Replies' },
  'invoices.read': { client: true, summary: 'read invoices and payments' },
  'files.upload': { client: true, summary: 'upload files' },
  'deliverables.approve': { client: true, summary: 'approve deliverables' },
  'team.manage': { client: true, summary: "run their account's team" },
  'projects.write': { client: false, summary: 'create and edit projects' },
  'tasks.write': { client: false, summary: 'create, move and delete tasks' },
  'comments.note': { client: false, summary: 'read and post internal Notes' },
  'invoices.write': { client: false, summary: 'create, send and void invoices' },
  'clients.read': { client: false, summary: 'read clients and contacts' },
  'clients.write': { client: false, summary: 'edit clients and contacts' },
  'users.manage': { client: false, summary: 'manage users and roles' },
  'settings.manage': { client: false, summary: 'edit settings and webhooks' },
  impersonate: { client: false, summary: 'view the portal as a client user' },
  'audit.read': { client: false, summary: 'read the audit log' },
  'api_keys.manage': { client: false, summary: 'make and revoke API keys' },
};

const ALL = Object.keys(PERMISSIONS) as Perm[];

/** What a client role may hold. */
export const CLIENT_PERMS: Perm[] = ALL.filter((p) => PERMISSIONS[p].client);

/** What a staff role may hold: staff look after people with `users.manage`, so not `team.manage`. */
export const STAFF_PERMS: Perm[] = ALL.filter((p) => p !== 'team.manage');

/** What no API key can be given, whoever makes it. */
export const NEVER_BY_KEY: Perm[] = ['impersonate', 'api_keys.manage'];
