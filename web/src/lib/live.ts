// Live updates: one Server-Sent Events stream per signed-in tab. Events carry ids only; each
// one invalidates the queries that show that resource (by the keys in api/keys.ts), which
// TanStack Query then re-reads through the (policy-filtered) REST API.
import { useEffect } from 'react';
import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { api } from './api/client';
import { keys } from './api/keys';
import { useSession } from './session';

/** A slow safety net behind the stream (e.g. while it reconnects). */
export const LIVE_REFRESH_MS = 30_000;

const KINDS = [
  'task.created',
  'task.updated',
  'task.deleted',
  'comment.created',
  'comment.updated',
  'comment.deleted',
  'note.changed',
  'project.updated',
  'invoice.sent',
  'invoice.paid',
  'invoice.updated',
  'invoice.viewed',
  'file.created',
  'file.version_added',
  'file.deleted',
  'review.requested',
  'review.decided',
  'review.cancelled',
  'notification.created',
  'notification.withdrawn',
  'notification.updated',
  'resync',
];

/** The queries an event of `kind` makes stale; `null` for everything. */
export function staleFor(kind: string, data: { task_id?: string }): QueryKey[] | null {
  if (kind.startsWith('task.')) return [keys.tasks.all, keys.projects.all, keys.portal, keys.dashboard, keys.activity];
  if (kind.startsWith('comment.') || kind === 'note.changed') {
    return [data.task_id ? keys.tasks.one(data.task_id) : keys.tasks.all, keys.dashboard, keys.activity];
  }
  if (kind === 'project.updated') return [keys.projects.all, keys.portal];
  if (kind.startsWith('invoice.')) return [keys.invoices.all, keys.dashboard, keys.activity];
  if (kind.startsWith('file.') || kind.startsWith('review.'))
    return [keys.files.all, keys.portal, keys.dashboard, keys.activity];
  if (kind.startsWith('notification.')) return [keys.notifications.all];
  return null;
}

export function invalidateFor(qc: QueryClient, kind: string, data: { task_id?: string }) {
  const stale = staleFor(kind, data);
  if (!stale) {
    void qc.invalidateQueries();
    return;
  }
  for (const queryKey of stale) void qc.invalidateQueries({ queryKey });
}

/** Keeps a stream open while signed in, reconnecting (with replay) when it drops. */
export function useLiveUpdates() {
  const qc = useQueryClient();
  const { status, me } = useSession();
  const userId = status === 'signed-in' ? me?.id : undefined;
  useEffect(() => {
    if (!userId) return;
    let source: EventSource | null = null;
    let lastId: string | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = async () => {
      const { data } = await api.POST('/api/v1/events/ticket').catch(() => ({ data: undefined }));
      if (stopped) return;
      if (!data) {
        retry = setTimeout(connect, 5_000);
        return;
      }
      const params = new URLSearchParams({ ticket: data.ticket });
      if (lastId) params.set('last_event_id', lastId);
      source = new EventSource(`/api/v1/events?${params}`);
      for (const kind of KINDS) {
        source.addEventListener(kind, (e) => {
          const msg = e as MessageEvent<string>;
          if (msg.lastEventId) lastId = msg.lastEventId;
          let payload = {};
          try {
            payload = JSON.parse(msg.data);
          } catch {
            // ids only; a malformed frame just refreshes broadly
          }
          invalidateFor(qc, kind, payload);
        });
      }
      // Tickets are single-use, so reconnect ourselves rather than let EventSource retry.
      source.onerror = () => {
        source?.close();
        if (!stopped) retry = setTimeout(connect, 3_000);
      };
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [qc, userId]);
}
