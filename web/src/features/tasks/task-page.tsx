import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Schemas } from '@/lib/api/client';
import { staffMembersQuery } from '@/lib/api/shared';
import { can, isStaff } from '@/lib/authorization';
import { TASK_PRIORITIES, TASK_STATUSES } from '@/lib/choices';
import { dateTime, label } from '@/lib/format';
import { useSession } from '@/lib/session';
import { bytes, download } from '@/lib/files';
import { StatusBadge } from '@/components/ui/badge';
import { DueDate } from '@/components/ui/due-date';
import { SelectField, TextArea, TextField } from '@/components/ui/field';
import { DangerZone } from '@/components/ui/danger-zone';
import { Empty, FormError, QueryState, ShowMore, fieldError } from '@/components/ui/states';
import { CommentComposer } from './comment-composer';
import {
  laterCommentsQuery,
  taskPageQuery,
  useDeleteTask,
  useDeleteComment,
  useEditComment,
  usePostComment,
  useTurnComment,
  useUpdateTask,
  type TaskDetail,
} from './api';

export function TaskPage() {
  const { id = '' } = useParams();
  const { me, viewingAs } = useSession();
  const staffView = useLocation().pathname.startsWith('/staff');
  const task = useQuery(taskPageQuery(id));
  const post = usePostComment(id);
  const readOnly = !!viewingAs;
  // A long thread: the task came with its first page; the rest is read when asked for.
  const start = task.data?.comments?.next_cursor ?? '';
  const [showLater, setShowLater] = useState(false);
  const later = useInfiniteQuery({ ...laterCommentsQuery(id, start), enabled: showLater && !!start });
  const comments = [
    ...(task.data?.comments?.items ?? []),
    ...(showLater ? (later.data?.pages.flatMap((p) => p.items) ?? []) : []),
  ];
  return (
    <QueryState query={task} what="Loading the task">
      {(t) => (
        <>
          <p>
            <Link to={staffView ? `/staff/projects/${t.project_id}` : `/projects/${t.project_id}`}>
              ← {t.project_name}
            </Link>
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
              <dd>
                <DueDate due={t.due_date} status={t.status} />
              </dd>
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
          {comments.length === 0 ? (
            <Empty>No replies yet.</Empty>
          ) : (
            <Thread
              comments={comments}
              canSwitch={can(me, 'comments.note') && !readOnly}
              taskId={id}
              readOnly={readOnly}
            />
          )}
          {start && !showLater && (
            <button type="button" className="btn" onClick={() => setShowLater(true)}>
              Show more comments
            </button>
          )}
          {showLater && <ShowMore query={later} what="comments" />}
          {(post.data?.failed.length ?? 0) > 0 && (
            <p role="alert" className="notice">
              Your comment was posted, but these files could not be attached:{' '}
              {post.data!.failed.map((f) => `${f.name} (${f.reason})`).join('; ')}
            </p>
          )}
          {!readOnly && (
            <CommentComposer
              canNote={can(me, 'comments.note')}
              canReply={can(me, 'comments.reply')}
              canAttach={can(me, 'files.upload')}
              pending={post.isPending}
              error={post.error}
              onSubmit={(body, visibility, files) => post.mutateAsync({ body, visibility, files })}
            />
          )}
        </>
      )}
    </QueryState>
  );
}

function Thread({
  comments,
  canSwitch,
  taskId,
  readOnly,
}: {
  comments: Schemas['CommentResponse'][];
  canSwitch: boolean;
  taskId: string;
  readOnly: boolean;
}) {
  const { me } = useSession();
  const turn = useTurnComment(taskId);
  const remove = useDeleteComment(taskId);
  const notice = turn.data?.notice;
  // What the server allows: authors edit their own text (a client author while they may reply)
  // and delete it; staff who read Notes also delete others' comments.
  const authorMay = (c: Schemas['CommentResponse']) =>
    !readOnly && c.author_id === me?.id && (isStaff(me) || can(me, 'comments.reply'));
  const mayDelete = (c: Schemas['CommentResponse']) =>
    authorMay(c) || (!readOnly && isStaff(me) && can(me, 'comments.note'));
  return (
    <>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <FormError error={remove.error} />
      <ol className="thread">
        {comments.map((c) => (
          <li key={c.id} id={`comment-${c.id}`} className={`comment comment--${c.visibility}`}>
            <div className="comment__meta">
              <strong>{c.author_name ?? 'Someone'}</strong>
              {c.author_is_client && <span className="muted"> (client)</span>}
              <span className="muted"> · {dateTime(c.created_at)}</span>
              {c.edited_at && <span className="muted"> · edited</span>}
              {c.pending_release && (
                <span className="comment__tag comment__tag--pending">
                  Sending to the client shortly — you can still turn it into a note
                </span>
              )}
              {canSwitch && (
                <span className={`comment__tag comment__tag--${c.visibility}`}>
                  {c.visibility === 'note' ? 'Internal note' : 'Visible to client'}
                </span>
              )}
            </div>
            <CommentBody c={c} taskId={taskId} editable={authorMay(c)} />
            {c.attachments.length > 0 && (
              <ul className="plain attachments" aria-label="Attached files">
                {c.attachments.map((a) => (
                  <li key={a.file_id}>
                    <button type="button" className="link" onClick={() => void download(a.file_id)}>
                      {a.name}
                    </button>{' '}
                    <span className="muted">({bytes(a.size)})</span>
                  </li>
                ))}
              </ul>
            )}
            {canSwitch && (
              <button
                type="button"
                className="link"
                onClick={() => turn.mutate({ id: c.id, visibility: c.visibility === 'note' ? 'reply' : 'note' })}
              >
                {c.visibility === 'note' ? 'Make visible to client' : 'Turn into internal note'}
              </button>
            )}{' '}
            {mayDelete(c) && (
              <button
                type="button"
                className="link"
                disabled={remove.isPending}
                onClick={() => {
                  const whose =
                    c.author_id === me?.id ? 'your comment' : `the comment by ${c.author_name ?? 'someone'}`;
                  if (window.confirm(`Delete ${whose}? It is removed from the conversation for everyone.`))
                    remove.mutate(c.id);
                }}
              >
                Delete
              </button>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

/** A comment's text; its author edits it in place, and a failed save keeps what they wrote. */
export function CommentBody({
  c,
  taskId,
  editable,
}: {
  c: Schemas['CommentResponse'];
  taskId: string;
  editable: boolean;
}) {
  const edit = useEditComment(taskId);
  const [draft, setDraft] = useState<string | null>(null);
  if (draft === null) {
    return (
      <>
        <p className="comment__body">{c.body}</p>
        {editable && (
          <button type="button" className="link" onClick={() => setDraft(c.body)}>
            Edit
          </button>
        )}
      </>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        edit.mutate({ id: c.id, body: draft }, { onSuccess: () => setDraft(null) });
      }}
    >
      <FormError error={edit.error} />
      <TextArea
        label="Edit your comment"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        error={fieldError(edit.error, 'body')}
      />
      <button type="submit" className="btn btn--primary" disabled={edit.isPending || !draft.trim()}>
        Save
      </button>{' '}
      <button type="button" className="btn" onClick={() => setDraft(null)}>
        Cancel
      </button>
    </form>
  );
}

function TaskEditor({ task }: { task: TaskDetail }) {
  const staff = useQuery(staffMembersQuery());
  const update = useUpdateTask(task.id);
  return (
    <section className="panel" aria-labelledby="edit-task">
      <h2 id="edit-task">Edit task</h2>
      <TaskText task={task} />
      <FormError error={update.error} />
      <div className="grid">
        <SelectField
          label="Status"
          value={task.status}
          onChange={(e) => update.mutate({ status: e.target.value as TaskDetail['status'] })}
        >
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Priority"
          value={task.priority}
          onChange={(e) => update.mutate({ priority: e.target.value as TaskDetail['priority'] })}
        >
          {TASK_PRIORITIES.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Assignee"
          value={task.assignee_id ?? ''}
          onChange={(e) => update.mutate({ assignee_id: e.target.value || null })}
        >
          <option value="">Nobody</option>
          {staff.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Due date"
          type="date"
          value={task.due_date ?? ''}
          onChange={(e) => update.mutate({ due_date: e.target.value || null })}
        />
      </div>
      <DeleteTask task={task} />
    </section>
  );
}

/** The title and description, saved together; a failed save keeps what was typed. */
function TaskText({ task }: { task: TaskDetail }) {
  const update = useUpdateTask(task.id);
  const [form, setForm] = useState({ title: task.title, description: task.description });
  const changed = form.title !== task.title || form.description !== task.description;
  return (
    <form
      aria-label="Title and description"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(form);
      }}
    >
      <FormError error={update.error} />
      <TextField
        label="Title"
        value={form.title}
        onChange={(e) => setForm({ ...form, title: e.target.value })}
        error={fieldError(update.error, 'title')}
      />
      <TextArea
        label="Description"
        hint="The client sees it."
        value={form.description}
        onChange={(e) => setForm({ ...form, description: e.target.value })}
        error={fieldError(update.error, 'description')}
      />
      <button className="btn btn--primary" type="submit" disabled={!changed || update.isPending}>
        Save title and description
      </button>
      {update.isSuccess && !changed && <span role="status"> Saved.</span>}
    </form>
  );
}

function DeleteTask({ task }: { task: TaskDetail }) {
  const remove = useDeleteTask(task.id);
  const navigate = useNavigate();
  return (
    <DangerZone
      label="Delete task"
      ask={`Delete “${task.title}” with its whole conversation and attached files? This cannot be undone.`}
      error={remove.error}
      pending={remove.isPending}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate(`/staff/projects/${task.project_id}`) })}
    />
  );
}
