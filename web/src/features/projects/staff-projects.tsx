import { useState, type FormEvent, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { usePaged } from '@/lib/api/paging';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { activeClientsQuery, staffMembersQuery } from '@/lib/api/shared';
import { can } from '@/lib/authorization';
import { PROJECT_STATUSES, TASK_PRIORITIES, TASK_STATUSES } from '@/lib/choices';
import { date } from '@/lib/format';
import { useSession } from '@/lib/session';
import { DueDate } from '@/components/ui/due-date';
import { ProgressBar, StatusBadge } from '@/components/ui/badge';
import { SelectField, TextArea, TextField } from '@/components/ui/field';
import { DangerZone } from '@/components/ui/danger-zone';
import { Empty, FormError, QueryState, fieldError, ShowMore } from '@/components/ui/states';
import {
  projectQuery,
  projectTasksQuery,
  projectsQuery,
  useCreateProject,
  useCreateTask,
  useDeleteProject,
  useMoveTask,
  useUpdateProject,
  type Project,
  type Task,
} from './api';

export function StaffProjectsPage() {
  const { t } = useTranslation('projects');
  const { me } = useSession();
  const clients = useQuery(activeClientsQuery());
  const projects = usePaged(projectsQuery());
  const empty = { client_id: '', name: '', description: '', start_date: '', end_date: '' };
  const [form, setForm] = useState(empty);
  const create = useCreateProject();
  const submit = () =>
    create.mutate(
      { ...form, start_date: form.start_date || null, end_date: form.end_date || null },
      { onSuccess: () => setForm(empty) },
    );
  const clientName = (id: string) => clients.data?.items.find((c) => c.id === id)?.name ?? '';
  return (
    <>
      <h1>{t('staffProjects.title')}</h1>
      <QueryState query={projects} what={t('staffProjects.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('staffProjects.empty')}</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('staffProjects.project')}</th>
                  <th scope="col">{t('staffProjects.client')}</th>
                  <th scope="col">{t('staffProjects.status')}</th>
                  <th scope="col">{t('staffProjects.timeline')}</th>
                  <th scope="col">{t('staffProjects.progress')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((p) => (
                  <tr key={p.id}>
                    <td data-label={t('staffProjects.project')}>
                      <Link to={`/staff/projects/${p.id}`}>{p.name}</Link>
                    </td>
                    <td data-label={t('staffProjects.client')}>{clientName(p.client_id)}</td>
                    <td data-label={t('staffProjects.status')}>
                      <StatusBadge status={p.status} />
                    </td>
                    <td data-label={t('staffProjects.timeline')}>
                      {t('dateRange', { start: date(p.start_date), end: date(p.end_date) })}
                    </td>
                    <td data-label={t('staffProjects.progress')}>
                      <ProgressBar
                        percent={p.progress.percent}
                        label={t('projectPercentDone', { name: p.name, percent: p.progress.percent })}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
      <ShowMore query={projects} what={t('staffProjects.more')} />
      {can(me, 'projects.write') && (
        <form
          className="panel"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            submit();
          }}
        >
          <h2>{t('newProject.title')}</h2>
          <FormError error={create.error} />
          <div className="grid">
            <SelectField
              label={t('newProject.client')}
              value={form.client_id}
              onChange={(e) => setForm({ ...form, client_id: e.target.value })}
              error={fieldError(create.error, 'client_id')}
            >
              <option value="">{t('newProject.chooseClient')}</option>
              {clients.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </SelectField>
            <TextField
              label={t('newProject.name')}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              error={fieldError(create.error, 'name')}
            />
            <TextField
              label={t('newProject.start')}
              type="date"
              value={form.start_date}
              onChange={(e) => setForm({ ...form, start_date: e.target.value })}
              error={fieldError(create.error, 'start_date')}
            />
            <TextField
              label={t('newProject.end')}
              type="date"
              value={form.end_date}
              onChange={(e) => setForm({ ...form, end_date: e.target.value })}
              error={fieldError(create.error, 'end_date')}
            />
          </div>
          <TextArea
            label={t('newProject.description')}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
          <button className="btn btn--primary" type="submit" disabled={create.isPending}>
            {t('newProject.submit')}
          </button>
        </form>
      )}
    </>
  );
}

/** `files`: the project's Files area, and `activity` its feed, which the app composes in. */
export function BoardPage({ files, activity }: { files?: ReactNode; activity?: ReactNode }) {
  const { t } = useTranslation('projects');
  const { id = '' } = useParams();
  const { me } = useSession();
  const project = useQuery(projectQuery(id));
  const move = useMoveTask(id);
  const writable = can(me, 'tasks.write');
  return (
    <QueryState query={project} what={t('board.loading')}>
      {(p) => (
        <>
          <p>
            <Link to="/staff/projects">{t('board.back')}</Link>
          </p>
          <h1>{p.name}</h1>
          <div className="meta">
            <StatusBadge status={p.status} />
            <span>{t('dateRange', { start: date(p.start_date), end: date(p.end_date) })}</span>
          </div>
          <ProgressBar percent={p.progress.percent} label={t('percentDone', { percent: p.progress.percent })} />
          {can(me, 'projects.write') && <ProjectEditor project={p} />}
          <h2>{t('board.title')}</h2>
          <FormError error={move.error} />
          <div className="board">
            {TASK_STATUSES.map((col) => (
              <BoardColumn key={col} projectId={id} status={col} writable={writable} move={move.mutate} />
            ))}
          </div>
          {writable && <NewTask projectId={id} />}
          {files}
          {activity}
        </>
      )}
    </QueryState>
  );
}

/** One column of the board, read a page at a time (a column of hundreds shows "Show more"). */
function BoardColumn({
  projectId,
  status,
  writable,
  move,
}: {
  projectId: string;
  status: Task['status'];
  writable: boolean;
  move: (m: { task: string; status: Task['status'] }) => void;
}) {
  const { t } = useTranslation(['projects', 'common']);
  const tasks = usePaged(projectTasksQuery(projectId, status));
  return (
    <section
      className="board__column"
      aria-labelledby={`col-${status}`}
      onDragOver={(e) => writable && e.preventDefault()}
      onDrop={(e) => {
        const task = e.dataTransfer.getData('text/task-id');
        if (task && writable) move({ task, status });
      }}
    >
      <h3 id={`col-${status}`}>{t(`common:status.${status}`)}</h3>
      <QueryState query={tasks} what={t('boardColumn.loading')}>
        {(page) => (
          <ul className="plain">
            {page.items.map((task) => (
              <li
                key={task.id}
                className="task-card"
                draggable={writable}
                onDragStart={(e) => e.dataTransfer.setData('text/task-id', task.id)}
              >
                <Link to={`/staff/tasks/${task.id}`}>{task.title}</Link>
                <div className="muted">
                  <StatusBadge status={task.priority} /> {task.assignee_name ?? t('boardColumn.unassigned')} ·{' '}
                  <Trans
                    t={t}
                    i18nKey="boardColumn.due"
                    components={{ date: <DueDate due={task.due_date} status={task.status} /> }}
                  />
                </div>
                {writable && (
                  // The keyboard's way to move a card: the column it goes to, chosen here.
                  <SelectField
                    label={t('boardColumn.moveTo', { title: task.title })}
                    value={task.status}
                    onChange={(e) => move({ task: task.id, status: e.target.value as Task['status'] })}
                  >
                    {TASK_STATUSES.map((c) => (
                      <option key={c} value={c}>
                        {t(`common:status.${c}`)}
                      </option>
                    ))}
                  </SelectField>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <ShowMore query={tasks} what={t(`boardColumn.more.${status}`)} />
    </section>
  );
}

function ProjectEditor({ project }: { project: Project }) {
  const { t } = useTranslation(['projects', 'common']);
  const [form, setForm] = useState({
    name: project.name,
    description: project.description,
    status: project.status,
    start_date: project.start_date ?? '',
    end_date: project.end_date ?? '',
  });
  const save = useUpdateProject(project.id);
  return (
    <details className="panel">
      <summary>{t('projectEditor.title')}</summary>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate({ ...form, start_date: form.start_date || null, end_date: form.end_date || null });
        }}
      >
        <FormError error={save.error} />
        <div className="grid">
          <TextField
            label={t('projectEditor.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            error={fieldError(save.error, 'name')}
          />
          <SelectField
            label={t('projectEditor.status')}
            value={form.status}
            onChange={(e) => setForm({ ...form, status: e.target.value as Project['status'] })}
          >
            {PROJECT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`common:status.${s}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t('projectEditor.start')}
            type="date"
            value={form.start_date}
            onChange={(e) => setForm({ ...form, start_date: e.target.value })}
          />
          <TextField
            label={t('projectEditor.end')}
            type="date"
            value={form.end_date}
            onChange={(e) => setForm({ ...form, end_date: e.target.value })}
            error={fieldError(save.error, 'end_date')}
          />
        </div>
        <TextArea
          label={t('projectEditor.description')}
          hint={t('projectEditor.descriptionHint')}
          value={form.description}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
          error={fieldError(save.error, 'description')}
        />
        <button className="btn btn--primary" type="submit" disabled={save.isPending}>
          {t('projectEditor.submit')}
        </button>
        {save.isSuccess && <span role="status"> {t('projectEditor.saved')}</span>}
      </form>
      <DeleteProject project={project} />
    </details>
  );
}

/** Deleting a project takes everything in it: its tasks, their conversations, its files. */
function DeleteProject({ project }: { project: Project }) {
  const { t } = useTranslation('projects');
  const remove = useDeleteProject(project.id);
  const navigate = useNavigate();
  return (
    <DangerZone
      label={t('deleteProject.label')}
      ask={t('deleteProject.ask', { name: project.name, count: project.progress.tasks_total })}
      error={remove.error}
      pending={remove.isPending}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate('/staff/projects') })}
    />
  );
}

function NewTask({ projectId }: { projectId: string }) {
  const { t } = useTranslation(['projects', 'common']);
  const staff = useQuery(staffMembersQuery());
  const empty = { title: '', assignee_id: '', priority: 'medium' as Task['priority'], due_date: '', description: '' };
  const [form, setForm] = useState(empty);
  const create = useCreateTask(projectId);
  const submit = () =>
    create.mutate(
      { ...form, assignee_id: form.assignee_id || null, due_date: form.due_date || null },
      { onSuccess: () => setForm(empty) },
    );
  return (
    <form
      className="panel"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2>{t('newTask.title')}</h2>
      <FormError error={create.error} />
      <div className="grid">
        <TextField
          label={t('newTask.taskTitle')}
          value={form.title}
          onChange={(e) => setForm({ ...form, title: e.target.value })}
          error={fieldError(create.error, 'title')}
        />
        <SelectField
          label={t('newTask.assignee')}
          value={form.assignee_id}
          onChange={(e) => setForm({ ...form, assignee_id: e.target.value })}
          error={fieldError(create.error, 'assignee_id')}
        >
          <option value="">{t('newTask.nobody')}</option>
          {staff.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('newTask.priority')}
          value={form.priority}
          onChange={(e) => setForm({ ...form, priority: e.target.value as Task['priority'] })}
        >
          {TASK_PRIORITIES.map((s) => (
            <option key={s} value={s}>
              {t(`common:priority.${s}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('newTask.dueDate')}
          type="date"
          value={form.due_date}
          onChange={(e) => setForm({ ...form, due_date: e.target.value })}
        />
      </div>
      <TextArea
        label={t('newTask.description')}
        value={form.description}
        onChange={(e) => setForm({ ...form, description: e.target.value })}
      />
      <button className="btn btn--primary" type="submit" disabled={create.isPending}>
        {t('newTask.submit')}
      </button>
    </form>
  );
}
