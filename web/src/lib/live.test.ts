import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { invalidateFor } from './live';

function keysInvalidated(kind: string, data = {}) {
  const qc = new QueryClient();
  const spy = vi.spyOn(qc, 'invalidateQueries');
  invalidateFor(qc, kind, data);
  return spy.mock.calls.map((c) => (c[0] as { queryKey?: unknown[] } | undefined)?.queryKey ?? 'everything');
}

describe('live updates', () => {
  it('refreshes tasks, projects and the portal home when a task changes', () => {
    expect(keysInvalidated('task.updated')).toEqual([['tasks'], ['projects'], ['portal'], ['dashboard']]);
  });

  it('refreshes only the affected task page when comments change', () => {
    expect(keysInvalidated('comment.created', { task_id: 't1' })).toEqual([['tasks', 't1'], ['dashboard']]);
  });

  it('refreshes billing on invoice events and everything on resync', () => {
    expect(keysInvalidated('invoice.paid')).toEqual([['invoices'], ['dashboard']]);
    expect(keysInvalidated('resync')).toEqual(['everything']);
  });
});
