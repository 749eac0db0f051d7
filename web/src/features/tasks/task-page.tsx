import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Schemas } from '@/lib/api/client';
import { staffMembersQuery } from '@/lib/api/shared';
import { can, isStaff } from '@/lib/authorization';
import { TASK_PRIORITIES, TASK_STATUSES } from '@/lib/choices';
import { dateTime } from '@/lib/format';
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
  const { t } = useTranslation(['tasks', 'common']);
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
    <QueryState query={task} what={t('taskPage.loading')}>
      {(task) => (
        <>
          <p>
            <Link to={staffView ? `/staff/projects/${task.project_id}` : `/projects/${task.project_id}`}>
              ← {task.project_name}
            </Link>
          </p>
          <h1>{task.title}</h1>
          <dl className="facts">
            <div>
              <dt>{t('taskPage.status')}</dt>
              <dd>
                <StatusBadge status={task.status} />
              </dd>
            </div>
            <div>
              <dt>{t('taskPage.assignee')}</dt>
              <dd>{task.assignee_name ?? t('common:none')}</dd>
            </div>
            <div>
              <dt>{t('taskPage.due')}</dt>
              <dd>
                <DueDate due={task.due_date} status={task.status} />
              </dd>
            </div>
            <div>
              <dt>{t('taskPage.priority')}</dt>
              <dd>
                <StatusBadge status={task.priority} />
              </dd>
            </div>
          </dl>
          {task.description && <p className="prose">{task.description}</p>}
          {isStaff(me) && can(me, 'tasks.write') && !readOnly && <TaskEditor task={task} />}
          <h2>{isStaff(me) ? t('taskPage.conversation') : t('taskPage.replies')}</h2>
          {comments.length === 0 ? (
            <Empty>{t('taskPage.noReplies')}</Empty>
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
              {t('taskPage.moreComments')}
            </button>
          )}
          {showLater && <ShowMore query={later} what={t('taskPage.comments')} />}
          {(post.data?.failed.length ?? 0) > 0 && (
            <p role="alert" className="notice">
              {t('taskPage.attachFailed', {
                files: post
                  .data!.failed.map((f) =>
                    t('taskPage.attachFailedFile', { name: f.name, reason: f.reason ?? t('taskPage.uploadFailed') }),
                  )
                  .join(t('taskPage.attachFailedSeparator')),
              })}
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
  const { t } = useTranslation(['tasks', 'common']);
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
              <strong>{c.author_name ?? t('thread.someone')}</strong>
              {c.author_is_client && <span className="muted"> {t('thread.client')}</span>}
              <span className="muted"> · {dateTime(c.created_at)}</span>
              {c.edited_at && <span className="muted"> · {t('thread.edited')}</span>}
              {c.pending_release && (
                <span className="comment__tag comment__tag--pending">{t('thread.pendingRelease')}</span>
              )}
              {canSwitch && (
                <span className={`comment__tag comment__tag--${c.visibility}`}>
                  {t(`visibilityTag.${c.visibility}`)}
                </span>
              )}
            </div>
            <CommentBody c={c} taskId={taskId} editable={authorMay(c)} />
            {c.attachments.length > 0 && (
              <ul className="plain attachments" aria-label={t('thread.attachedFiles')}>
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
                {c.visibility === 'note' ? t('thread.makeReply') : t('thread.makeNote')}
              </button>
            )}{' '}
            {mayDelete(c) && (
              <button
                type="button"
                className="link"
                disabled={remove.isPending}
                onClick={() => {
                  const ask =
                    c.author_id === me?.id
                      ? t('thread.deleteOwn')
                      : c.author_name
                        ? t('thread.deleteBy', { author: c.author_name })
                        : t('thread.deleteBySomeone');
                  if (window.confirm(ask)) remove.mutate(c.id);
                }}
              >
                {t('common:action.delete')}
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
  const { t } = useTranslation(['tasks', 'common']);
  const edit = useEditComment(taskId);
  const [draft, setDraft] = useState<string | null>(null);
  if (draft === null) {
    return (
      <>
        <p className="comment__body">{c.body}</p>
        {editable && (
          <button type="button" className="link" onClick={() => setDraft(c.body)}>
            {t('common:action.edit')}
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
        label={t('commentBody.editLabel')}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        error={fieldError(edit.error, 'body')}
      />
      <button type="submit" className="btn btn--primary" disabled={edit.isPending || !draft.trim()}>
        {t('common:action.save')}
      </button>{' '}
      <button type="button" className="btn" onClick={() => setDraft(null)}>
        {t('common:action.cancel')}
      </button>
    </form>
  );
}

function TaskEditor({ task }: { task: TaskDetail }) {
  const { t } = useTranslation(['tasks', 'common']);
  const staff = useQuery(staffMembersQuery());
  const update = useUpdateTask(task.id);
  return (
    <section className="panel" aria-labelledby="edit-task">
      <h2 id="edit-task">{t('taskEditor.title')}</h2>
      <TaskText task={task} />
      <FormError error={update.error} />
      <div className="grid">
        <SelectField
          label={t('taskEditor.status')}
          value={task.status}
          onChange={(e) => update.mutate({ status: e.target.value as TaskDetail['status'] })}
        >
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`common:status.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('taskEditor.priority')}
          value={task.priority}
          onChange={(e) => update.mutate({ priority: e.target.value as TaskDetail['priority'] })}
        >
          {TASK_PRIORITIES.map((s) => (
            <option key={s} value={s}>
              {t(`common:priority.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('taskEditor.assignee')}
          value={task.assignee_id ?? ''}
          onChange={(e) => update.mutate({ assignee_id: e.target.value || null })}
        >
          <option value="">{t('taskEditor.nobody')}</option>
          {staff.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('taskEditor.dueDate')}
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
  const { t } = useTranslation('tasks');
  const update = useUpdateTask(task.id);
  const [form, setForm] = useState({ title: task.title, description: task.description });
  const changed = form.title !== task.title || form.description !== task.description;
  return (
    <form
      aria-label={t('taskText.label')}
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate(form);
      }}
    >
      <FormError error={update.error} />
      <TextField
        label={t('taskText.title')}
        value={form.title}
        onChange={(e) => setForm({ ...form, title: e.target.value })}
        error={fieldError(update.error, 'title')}
      />
      <TextArea
        label={t('taskText.description')}
        hint={t('taskText.descriptionHint')}
        value={form.description}
        onChange={(e) => setForm({ ...form, description: e.target.value })}
        error={fieldError(update.error, 'description')}
      />
      <button className="btn btn--primary" type="submit" disabled={!changed || update.isPending}>
        {t('taskText.submit')}
      </button>
      {update.isSuccess && !changed && <span role="status"> {t('taskText.saved')}</span>}
    </form>
  );
}

function DeleteTask({ task }: { task: TaskDetail }) {
  const { t } = useTranslation('tasks');
  const remove = useDeleteTask(task.id);
  const navigate = useNavigate();
  return (
    <DangerZone
      label={t('deleteTask.label')}
      ask={t('deleteTask.ask', { title: task.title })}
      error={remove.error}
      pending={remove.isPending}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate(`/staff/projects/${task.project_id}`) })}
    />
  );
}
