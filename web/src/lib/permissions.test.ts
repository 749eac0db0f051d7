import { describe, expect, it } from 'vitest';
import { catalogueOf, type PermissionInfo } from './permissions';

const info = (key: string, client: boolean, staff = true, apiKeys = true) =>
  ({
    key,
    summary: `does ${key}`,
    description: '',
    client_roles: client,
    staff_roles: staff,
    api_keys: apiKeys,
  }) as PermissionInfo;

describe('catalogueOf', () => {
  it('sorts the server’s catalogue into what each kind of holder may be given', () => {
    const c = catalogueOf([
      info('projects.read', true),
      info('team.manage', true, false),
      info('users.manage', false),
      info('impersonate', false, true, false),
    ]);
    expect(c.client).toEqual(['projects.read', 'team.manage']);
    expect(c.staff).toEqual(['projects.read', 'users.manage', 'impersonate']);
    expect(c.byKey).toEqual(['projects.read', 'team.manage', 'users.manage']);
    expect(c.summary('users.manage')).toBe('does users.manage');
    expect(c.summary('audit.read')).toBe('');
  });
});
