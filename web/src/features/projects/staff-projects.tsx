import { useState, type FormEvent, type ReactNode } from 'react';
import { usePaged } from '@/lib/api/paging';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { activeClientsQuery, staffMembersQuery } from '@/lib/api/shared';
import { can } from '@/lib/authorization';
import { PROJECT_STATUSES, TASK_PRIORITIES, TASK_STATUSES } from '@/lib/choices';
import { date, label } from '@/lib/format';
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
      <h1>Projects</h1>
      <QueryState query={projects} what="Loading projects">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No projects yet.</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col">Client</th>
                  <th scope="col">Status</th>
                  <th scope="col">Timeline</th>
                  <th scope="col">Progress</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((p) => (
                  <tr key={p.id}>
                    <td data-label="Project">
                      <Link to={`/staff/projects/${p.id}`}>{p.name}</Link>
                    </td>
                    <td data-label="Client">{clientName(p.client_id)}</td>
                    <td data-label="Status">
                      <StatusBadge status={p.status} />
                    </td>
                    <td data-label="Timeline">
                      {date(p.start_date)} – {date(p.end_date)}
                    </td>
                    <td data-label="Progress">
                      <ProgressBar percent={p.progress.percent} label={`${p.name}: ${p.progress.percent}% done`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
      <ShowMore query={projects} what="projects" />
      {can(me, 'projects.write') && (
        <form
          className="panel"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            submit();
          }}
        >
          <h2>New project</h2>
          <FormError error={create.error} />
          <div className="grid">
            <SelectField
              label="Client"
              value={form.client_id}
              onChange={(e) => setForm({ ...form, client_id: e.target.value })}
              error={fieldError(create.error, 'client_id')}
            >
              <option value="">Choose a client</option>
              {clients.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </SelectField>
            <TextField
              label="Project name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              error={fieldError(create.error, 'name')}
            />
            <TextField
              label="Start"
              type="date"
              value={form.start_date}
              onChange={(e) => setForm({ ...form, start_date: e.target.value })}
              error={fieldError(create.error, 'start_date')}
            />
            <TextField
              label="End"
              type="date"
              value={form.end_date}
              onChange={(e) => setForm({ ...form, end_date: e.target.value })}
              error={fieldError(create.error, 'end_date')}
            />
          </div>
          <TextArea
            label="Description"
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
          <button className="btn btn--primary" type="submit" disabled={create.isPending}>
            Create project
          </button>
        </form>
      )}
    </>
  );
}

/** `files`: the project's Files area, and `activity` its feed, which the app composes in. */
export function BoardPage({ files, activity }: { files?: ReactNode; activity?: ReactNode }) {
  const { id = '' } = useParams();
  const { me } = useSession();
  const project = useQuery(projectQuery(id));
  const move = useMoveTask(id);
  const writable = can(me, 'tasks.write');
  return (
    <QueryState query={project} what="Loading the project">
      {(p) => (
        <>
          <p>
            <Link to="/staff/projects">← Projects</Link>
          </p>
          <h1>{p.name}</h1>
          <div className="meta">
            <StatusBadge status={p.status} />
            <span>
              {date(p.start_date)} – {date(p.end_date)}
            </span>
          </div>
          <ProgressBar percent={p.progress.percent} label={`${p.progress.percent}% done`} />
          {can(me, 'projects.write') && <ProjectEditor project={p} />}
          <h2>Board</h2>
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
      <h3 id={`col-${status}`}>{label(status)}</h3>
      <QueryState query={tasks} what="Loading tasks">
        {(page) => (
          <ul className="plain">
            {page.items.map((t) => (
              <li
                key={t.id}
                className="task-card"
                draggable={writable}
                onDragStart={(e) => e.dataTransfer.setData('text/task-id', t.id)}
              >
                <Link to={`/staff/tasks/${t.id}`}>{t.title}</Link>
                <div className="muted">
                  <StatusBadge status={t.priority} /> {t.assignee_name ?? 'Unassigned'} · due{' '}
                  <DueDate due={t.due_date} status={t.status} />
                </div>
                {writable && (
                  // The keyboard's way to move a card: the column it goes to, chosen here.
                  <SelectField
                    label={`Move “${t.title}” to`}
                    value={t.status}
                    onChange={(e) => move({ task: t.id, status: e.target.value as Task['status'] })}
                  >
                    {TASK_STATUSES.map((c) => (
                      <option key={c} value={c}>
                        {label(c)}
                      </option>
                    ))}
                  </SelectField>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <ShowMore query={tasks} what={`${label(status).toLowerCase()} tasks`} />
    </section>
  );
}

function ProjectEditor({ project }: { project: Project }) {
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
      <summary>Edit project</summary>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate({ ...form, start_date: form.start_date || null, end_date: form.end_date || null });
        }}
      >
        <FormError error={save.error} />
        <div className="grid">
          <TextField
            label="Name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            error={fieldError(save.error, 'name')}
          />
          <SelectField
            label="Status"
            value={form.status}
            onChange={(e) => setForm({ ...form, status: e.target.value as Project['status'] })}
          >
            {PROJECT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Start"
            type="date"
            value={form.start_date}
            onChange={(e) => setForm({ ...form, start_date: e.target.value })}
          />
          <TextField
            label="End"
            type="date"
            value={form.end_date}
            onChange={(e) => setForm({ ...form, end_date: e.target.value })}
            error={fieldError(save.error, 'end_date')}
          />
        </div>
        <TextArea
          label="Description"
          hint="The client sees it on the project's page."
          value={form.description}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
          error={fieldError(save.error, 'description')}
        />
        <button className="btn btn--primary" type="submit" disabled={save.isPending}>
          Save project
        </button>
        {save.isSuccess && <span role="status"> Saved.</span>}
      </form>
      <DeleteProject project={project} />
    </details>
  );
}

/** Deleting a project takes everything in it: its tasks, their conversations, its files. */
function DeleteProject({ project }: { project: Project }) {
  const remove = useDeleteProject(project.id);
  const navigate = useNavigate();
  const tasks = project.progress.tasks_total;
  return (
    <DangerZone
      label="Delete project"
      ask={
        `Delete “${project.name}” with its ${tasks} ${tasks === 1 ? 'task' : 'tasks'}, their conversations ` +
        'and all its files? The client loses them too. This cannot be undone.'
      }
      error={remove.error}
      pending={remove.isPending}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => navigate('/staff/projects') })}
    />
  );
}

function NewTask({ projectId }: { projectId: string }) {
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
      <h2>New task</h2>
      <FormError error={create.error} />
      <div className="grid">
        <TextField
          label="Title"
          value={form.title}
          onChange={(e) => setForm({ ...form, title: e.target.value })}
          error={fieldError(create.error, 'title')}
        />
        <SelectField
          label="Assignee"
          value={form.assignee_id}
          onChange={(e) => setForm({ ...form, assignee_id: e.target.value })}
          error={fieldError(create.error, 'assignee_id')}
        >
          <option value="">Nobody</option>
          {staff.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Priority"
          value={form.priority}
          onChange={(e) => setForm({ ...form, priority: e.target.value as Task['priority'] })}
        >
          {TASK_PRIORITIES.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Due date"
          type="date"
          value={form.due_date}
          onChange={(e) => setForm({ ...form, due_date: e.target.value })}
        />
      </div>
      <TextArea
        label="Description"
        value={form.description}
        onChange={(e) => setForm({ ...form, description: e.target.value })}
      />
      <button className="btn btn--primary" type="submit" disabled={create.isPending}>
        Add task
      </button>
    </form>
  );
}
