import { Link, useLocation, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { unwrap } from '@/lib/api/problem';
import { can, isStaff } from '@/lib/authorization';
import { LIVE_REFRESH_MS } from '@/lib/live';
import { date, dateTime, label } from '@/lib/format';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/Badge';
import { SelectField, TextField } from '@/components/ui/Field';
import { Empty, FormError, QueryState } from '@/components/ui/States';
import { CommentComposer, type Visibility } from './CommentComposer';

type Task = Schemas['TaskDetailResponse'];

export function TaskPage() {
  const { id = '' } = useParams();
  const { me, viewingAs } = useSession();
  const staffView = useLocation().pathname.startsWith('/staff');
  const qc = useQueryClient();
  // The task and its thread in one request; a change to either refreshes both.
  const task = useQuery({
    queryKey: ['tasks', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/tasks/{id}', { params: { path: { id }, query: { include: 'comments', comments_limit: 200 } } })),
    refetchInterval: LIVE_REFRESH_MS,
  });
  const post = useMutation({
    mutationFn: async ({ body, visibility }: { body: string; visibility: Visibility }) =>
      unwrap(await api.POST('/api/v1/tasks/{id}/comments', { params: { path: { id } }, body: { body, visibility } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tasks', id] }),
  });
  const readOnly = !!viewingAs;
  return (
    <QueryState query={task} what="Loading the task">
      {(t) => (
        <>
          <p>
            <Link to={staffView ? `/staff/projects/${t.project_id}` : `/projects/${t.project_id}`}>← {t.project_name}</Link>
          </p>
          <h1>{t.title}</h1>
          <dl className="facts">
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={t.status} />
              </dd>
            </div>
            <div>
              <dt>Assignee</dt>
              <dd>{t.assignee_name ?? '—'}</dd>
            </div>
            <div>
              <dt>Due</dt>
              <dd>{date(t.due_date)}</dd>
            </div>
            <div>
              <dt>Priority</dt>
              <dd>
                <StatusBadge status={t.priority} />
              </dd>
            </div>
          </dl>
          {t.description && <p className="prose">{t.description}</p>}
          {isStaff(me) && can(me, 'tasks.write') && !readOnly && <TaskEditor task={t} />}
          <h2>{isStaff(me) ? 'Conversation' : 'Replies'}</h2>
          {(t.comments?.items.length ?? 0) === 0 ? (
            <Empty>No replies yet.</Empty>
          ) : (
            <Thread comments={t.comments?.items ?? []} canSwitch={can(me, 'comments.note') && !readOnly} taskId={id} />
          )}
          {!readOnly && (
            <CommentComposer
              canNote={can(me, 'comments.note')}
              canReply={can(me, 'comments.reply')}
              pending={post.isPending}
              error={post.error}
              onSubmit={(body, visibility) => post.mutateAsync({ body, visibility })}
            />
          )}
        </>
      )}
    </QueryState>
  );
}

function Thread({ comments, canSwitch, taskId }: { comments: Schemas['CommentResponse'][]; canSwitch: boolean; taskId: string }) {
  const qc = useQueryClient();
  const turn = useMutation({
    mutationFn: async ({ id, visibility }: { id: string; visibility: Visibility }) =>
      unwrap(await api.PATCH('/api/v1/comments/{id}', { params: { path: { id } }, body: { visibility } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tasks', taskId] }),
  });
  return (
    <ol className="thread">
      {comments.map((c) => (
        <li key={c.id} className={`comment comment--${c.visibility}`}>
          <div className="comment__meta">
            <strong>{c.author_name ?? 'Someone'}</strong>
            {c.author_is_client && <span className="muted"> (client)</span>}
            <span className="muted"> · {dateTime(c.created_at)}</span>
            {c.edited_at && <span className="muted"> · edited</span>}
            {c.pending_release && <span className="comment__tag comment__tag--pending">Sending to the client shortly — you can still turn it into a note</span>}
            {canSwitch && <span className={`comment__tag comment__tag--${c.visibility}`}>{c.visibility === 'note' ? 'Internal note' : 'Visible to client'}</span>}
          </div>
          <p className="comment__body">{c.body}</p>
          {canSwitch && (
            <button type="button" className="link" onClick={() => turn.mutate({ id: c.id, visibility: c.visibility === 'note' ? 'reply' : 'note' })}>
              {c.visibility === 'note' ? 'Make visible to client' : 'Turn into internal note'}
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}

export function useStaffMembers() {
  return useQuery({
    queryKey: ['staff'],
    queryFn: async () => unwrap(await api.GET('/api/v1/staff')),
    staleTime: 60_000,
  });
}

function TaskEditor({ task }: { task: Task }) {
  const qc = useQueryClient();
  const staff = useStaffMembers();
  const update = useMutation({
    mutationFn: async (body: Schemas['UpdateTaskRequest']) => unwrap(await api.PATCH('/api/v1/tasks/{id}', { params: { path: { id: task.id } }, body })),
    onSuccess: (t) => {
      // The page's query also holds the thread, which a PATCH does not return.
      qc.setQueryData<Task>(['tasks', task.id], (page) => (page ? { ...page, ...t } : page));
      void qc.invalidateQueries({ queryKey: ['projects'] });
    },
  });
  return (
    <section className="panel" aria-labelledby="edit-task">
      <h2 id="edit-task">Edit task</h2>
      <FormError error={update.error} />
      <div className="grid">
        <SelectField label="Status" value={task.status} onChange={(e) => update.mutate({ status: e.target.value as Task['status'] })}>
          {['todo', 'in_progress', 'done'].map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Priority" value={task.priority} onChange={(e) => update.mutate({ priority: e.target.value as Task['priority'] })}>
          {['low', 'medium', 'high', 'urgent'].map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Assignee" value={task.assignee_id ?? ''} onChange={(e) => update.mutate({ assignee_id: e.target.value || null })}>
          <option value="">Nobody</option>
          {staff.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <TextField label="Due date" type="date" value={task.due_date ?? ''} onChange={(e) => update.mutate({ due_date: e.target.value || null })} />
      </div>
    </section>
  );
}
