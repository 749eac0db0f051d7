// The permission catalogue as the server describes it (`GET /permissions`): what each permission
// lets one do and who may hold it. Read from the API so a permission the server adds, or a rule
// about who may hold one, reaches every screen that grants permissions without a release here.
// The hook that reads it is `usePermissionCatalogue` (lib/api/shared.ts); this module is pure.
import type { Schemas } from './api/client';
import type { Perm } from './authorization';

export type PermissionInfo = Schemas['PermissionInfo'];

export interface Catalogue {
  all: PermissionInfo[];
  /** What a client role (or a key held to a client account) may hold. */
  client: Perm[];
  /** What a staff role may hold. */
  staff: Perm[];
  /** What an API key may be given at all. */
  byKey: Perm[];
  summary: (p: Perm) => string;
}

export function catalogueOf(all: PermissionInfo[]): Catalogue {
  const summaries = new Map(all.map((p) => [p.key, p.summary]));
  return {
    all,
    client: all.filter((p) => p.client_roles).map((p) => p.key),
    staff: all.filter((p) => p.staff_roles).map((p) => p.key),
    byKey: all.filter((p) => p.api_keys).map((p) => p.key),
    summary: (p) => summaries.get(p) ?? '',
  };
}
