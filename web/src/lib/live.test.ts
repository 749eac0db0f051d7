import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { keys } from './api/keys';
import { invalidateFor } from './live';

function keysInvalidated(kind: string, data = {}) {
  const qc = new QueryClient();
  const spy = vi.spyOn(qc, 'invalidateQueries');
  invalidateFor(qc, kind, data);
  return spy.mock.calls.map((c) => (c[0] as { queryKey?: unknown[] } | undefined)?.queryKey ?? 'everything');
}

describe('live updates', () => {
  it('refreshes tasks, projects, the portal home and the activity when a task changes', () => {
    expect(keysInvalidated('task.updated')).toEqual([['tasks'], ['projects'], ['portal'], ['dashboard'], ['activity']]);
  });

  it('refreshes only the affected task page (and the activity) when comments change', () => {
    expect(keysInvalidated('comment.created', { task_id: 't1' })).toEqual([
      ['tasks', 't1'],
      ['dashboard'],
      ['activity'],
    ]);
  });

  it('refreshes billing on invoice events and everything on resync', () => {
    expect(keysInvalidated('invoice.paid')).toEqual([['invoices'], ['dashboard'], ['activity']]);
    expect(keysInvalidated('resync')).toEqual(['everything']);
  });

  it('refreshes the notifications when one arrives or is withdrawn', () => {
    expect(keysInvalidated('notification.created')).toEqual([['notifications']]);
    expect(keysInvalidated('notification.withdrawn')).toEqual([['notifications']]);
  });

  it('invalidates exactly the keys the features query with', () => {
    const qc = new QueryClient();
    const stale = (key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated;
    for (const key of [
      keys.tasks.one('t1'),
      keys.projects.tasks('p1'),
      keys.invoices.one('i1'),
      keys.notifications.unread,
    ]) {
      qc.setQueryData(key, {});
    }
    invalidateFor(qc, 'task.updated', {});
    invalidateFor(qc, 'invoice.sent', {});
    invalidateFor(qc, 'notification.created', {});
    expect([
      stale(keys.tasks.one('t1')),
      stale(keys.projects.tasks('p1')),
      stale(keys.invoices.one('i1')),
      stale(keys.notifications.unread),
    ]).toEqual([true, true, true, true]);
  });
});
