import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { unwrap } from '@/lib/api/problem';
import { can } from '@/lib/authorization';
import { LIVE_REFRESH_MS } from '@/lib/live';
import { date, label } from '@/lib/format';
import { useSession } from '@/lib/session';
import { ProgressBar, StatusBadge } from '@/components/ui/Badge';
import { SelectField, TextArea, TextField } from '@/components/ui/Field';
import { Empty, FormError, QueryState, fieldError } from '@/components/ui/States';
import { useStaffMembers } from '@/features/tasks/TaskPage';

type Project = Schemas['ProjectResponse'];
type Task = Schemas['TaskResponse'];
const STATUSES: Project['status'][] = ['planned', 'in_progress', 'on_hold', 'completed'];
const COLUMNS: Task['status'][] = ['todo', 'in_progress', 'done'];

function useClients() {
  return useQuery({
    queryKey: ['clients', 'all'],
    queryFn: async () => unwrap(await api.GET('/api/v1/clients', { params: { query: { limit: 200, status: 'active' } } })),
  });
}

export function StaffProjectsPage() {
  const { me } = useSession();
  const qc = useQueryClient();
  const clients = useClients();
  const projects = useQuery({
    queryKey: ['projects', 'staff'],
    queryFn: async () => unwrap(await api.GET('/api/v1/projects', { params: { query: { limit: 200 } } })),
  });
  const [form, setForm] = useState({ client_id: '', name: '', description: '', start_date: '', end_date: '' });
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/projects', {
          body: { client_id: form.client_id, name: form.name, description: form.description, start_date: form.start_date || null, end_date: form.end_date || null },
        }),
      ),
    onSuccess: () => {
      setForm({ client_id: '', name: '', description: '', start_date: '', end_date: '' });
      void qc.invalidateQueries({ queryKey: ['projects'] });
    },
  });
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
                    <td>
                      <Link to={`/staff/projects/${p.id}`}>{p.name}</Link>
                    </td>
                    <td>{clientName(p.client_id)}</td>
                    <td>
                      <StatusBadge status={p.status} />
                    </td>
                    <td>
                      {date(p.start_date)} – {date(p.end_date)}
                    </td>
                    <td>
                      <ProgressBar percent={p.progress.percent} label={`${p.name}: ${p.progress.percent}% done`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
      {can(me, 'projects.write') && (
        <form
          className="panel"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <h2>New project</h2>
          <FormError error={create.error} />
          <div className="grid">
            <SelectField label="Client" value={form.client_id} onChange={(e) => setForm({ ...form, client_id: e.target.value })} error={fieldError(create.error, 'client_id')}>
              <option value="">Choose a client</option>
              {clients.data?.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </SelectField>
            <TextField label="Project name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={fieldError(create.error, 'name')} />
            <TextField label="Start" type="date" value={form.start_date} onChange={(e) => setForm({ ...form, start_date: e.target.value })} error={fieldError(create.error, 'start_date')} />
            <TextField label="End" type="date" value={form.end_date} onChange={(e) => setForm({ ...form, end_date: e.target.value })} error={fieldError(create.error, 'end_date')} />
          </div>
          <TextArea label="Description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          <button className="btn btn--primary" type="submit" disabled={create.isPending}>
            Create project
          </button>
        </form>
      )}
    </>
  );
}

export function BoardPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const qc = useQueryClient();
  const project = useQuery({
    queryKey: ['projects', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/projects/{id}', { params: { path: { id } } })),
  });
  const tasks = useQuery({
    queryKey: ['projects', id, 'tasks'],
    queryFn: async () => unwrap(await api.GET('/api/v1/projects/{id}/tasks', { params: { path: { id }, query: { limit: 200 } } })),
    refetchInterval: LIVE_REFRESH_MS,
  });
  const move = useMutation({
    mutationFn: async ({ task, status }: { task: string; status: Task['status'] }) =>
      unwrap(await api.PATCH('/api/v1/tasks/{id}', { params: { path: { id: task } }, body: { status } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['projects', id] }),
  });
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
          <QueryState query={tasks} what="Loading tasks">
            {(page) => (
              <div className="board">
                {COLUMNS.map((col) => (
                  <section
                    key={col}
                    className="board__column"
                    aria-labelledby={`col-${col}`}
                    onDragOver={(e) => writable && e.preventDefault()}
                    onDrop={(e) => {
                      const task = e.dataTransfer.getData('text/task-id');
                      if (task && writable) move.mutate({ task, status: col });
                    }}
                  >
                    <h3 id={`col-${col}`}>{label(col)}</h3>
                    <ul className="plain">
                      {page.items
                        .filter((t) => t.status === col)
                        .map((t) => (
                          <li key={t.id} className="task-card" draggable={writable} onDragStart={(e) => e.dataTransfer.setData('text/task-id', t.id)}>
                            <Link to={`/staff/tasks/${t.id}`}>{t.title}</Link>
                            <div className="muted">
                              <StatusBadge status={t.priority} /> {t.assignee_name ?? 'Unassigned'} · due {date(t.due_date)}
                            </div>
                            {writable && (
                              <SelectField label={`Move “${t.title}” to`} value={t.status} onChange={(e) => move.mutate({ task: t.id, status: e.target.value as Task['status'] })}>
                                {COLUMNS.map((c) => (
                                  <option key={c} value={c}>
                                    {label(c)}
                                  </option>
                                ))}
                              </SelectField>
                            )}
                          </li>
                        ))}
                    </ul>
                  </section>
                ))}
              </div>
            )}
          </QueryState>
          {writable && <NewTask projectId={id} />}
        </>
      )}
    </QueryState>
  );
}

function ProjectEditor({ project }: { project: Project }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: project.name, status: project.status, start_date: project.start_date ?? '', end_date: project.end_date ?? '' });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/projects/{id}', {
          params: { path: { id: project.id } },
          body: { name: form.name, status: form.status, start_date: form.start_date || null, end_date: form.end_date || null },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['projects'] }),
  });
  return (
    <details className="panel">
      <summary>Edit project</summary>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <FormError error={save.error} />
        <div className="grid">
          <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={fieldError(save.error, 'name')} />
          <SelectField label="Status" value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value as Project['status'] })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </SelectField>
          <TextField label="Start" type="date" value={form.start_date} onChange={(e) => setForm({ ...form, start_date: e.target.value })} />
          <TextField label="End" type="date" value={form.end_date} onChange={(e) => setForm({ ...form, end_date: e.target.value })} error={fieldError(save.error, 'end_date')} />
        </div>
        <button className="btn btn--primary" type="submit" disabled={save.isPending}>
          Save project
        </button>
      </form>
    </details>
  );
}

function NewTask({ projectId }: { projectId: string }) {
  const qc = useQueryClient();
  const staff = useStaffMembers();
  const empty = { title: '', assignee_id: '', priority: 'medium' as Task['priority'], due_date: '', description: '' };
  const [form, setForm] = useState(empty);
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/projects/{id}/tasks', {
          params: { path: { id: projectId } },
          body: { title: form.title, description: form.description, priority: form.priority, assignee_id: form.assignee_id || null, due_date: form.due_date || null },
        }),
      ),
    onSuccess: () => {
      setForm(empty);
      void qc.invalidateQueries({ queryKey: ['projects', projectId] });
    },
  });
  return (
    <form
      className="panel"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h2>New task</h2>
      <FormError error={create.error} />
      <div className="grid">
        <TextField label="Title" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} error={fieldError(create.error, 'title')} />
        <SelectField label="Assignee" value={form.assignee_id} onChange={(e) => setForm({ ...form, assignee_id: e.target.value })} error={fieldError(create.error, 'assignee_id')}>
          <option value="">Nobody</option>
          {staff.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Priority" value={form.priority} onChange={(e) => setForm({ ...form, priority: e.target.value as Task['priority'] })}>
          {['low', 'medium', 'high', 'urgent'].map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </SelectField>
        <TextField label="Due date" type="date" value={form.due_date} onChange={(e) => setForm({ ...form, due_date: e.target.value })} />
      </div>
      <TextArea label="Description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
      <button className="btn btn--primary" type="submit" disabled={create.isPending}>
        Add task
      </button>
    </form>
  );
}
