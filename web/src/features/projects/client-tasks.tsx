// "All my tasks": every task of the client's account, beyond the few on the home, narrowed by
// project, status and when it is due.
import { Link, useSearchParams } from 'react-router';
import { useAllPages, usePaged } from '@/lib/api/paging';
import { TASK_STATUSES } from '@/lib/choices';
import { label, today } from '@/lib/format';
import { DueDate } from '@/components/ui/due-date';
import { StatusBadge } from '@/components/ui/badge';
import { SelectField } from '@/components/ui/field';
import { Empty, QueryState, ShowMore } from '@/components/ui/states';
import { projectsQuery, tasksQuery, type Task, type TaskFilters } from './api';

type Due = '' | 'overdue' | 'week';

/** The day `days` after today, as the API's dates read. */
function inDays(days: number, now = new Date()): string {
  const d = new Date(now);
  d.setDate(d.getDate() + days);
  return today(d);
}

/** The filters the page's address holds, as the API takes them. */
export function filtersOf(params: URLSearchParams, now = new Date()): TaskFilters {
  const status = params.get('status') ?? 'open';
  const due = (params.get('due') ?? '') as Due;
  const filters: TaskFilters = {};
  const project = params.get('project');
  if (project) filters.project_id = project;
  if (status === 'open') filters.open = true;
  else if (TASK_STATUSES.includes(status as (typeof TASK_STATUSES)[number]))
    filters.status = status as TaskFilters['status'];
  // Overdue: due before today and not done; this week: due within the next seven days.
  if (due === 'overdue') {
    filters.due_before = today(now);
    filters.open = true;
    delete filters.status;
  }
  if (due === 'week') filters.due_before = inDays(8, now);
  return filters;
}

export function MyTasksPage() {
  const [params, setParams] = useSearchParams();
  const projects = useAllPages(projectsQuery());
  const tasks = usePaged(tasksQuery(filtersOf(params)));
  const set = (name: string, value: string, fallback = '') => {
    const next = new URLSearchParams(params);
    if (value === fallback) next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  };
  return (
    <>
      <h1>All my tasks</h1>
      <div className="grid filters">
        <SelectField
          label="Project"
          value={params.get('project') ?? ''}
          onChange={(e) => set('project', e.target.value)}
        >
          <option value="">All projects</option>
          {projects.data?.items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Status"
          value={params.get('status') ?? 'open'}
          onChange={(e) => set('status', e.target.value, 'open')}
        >
          <option value="open">Not done</option>
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
          <option value="all">All</option>
        </SelectField>
        <SelectField label="Due" value={params.get('due') ?? ''} onChange={(e) => set('due', e.target.value)}>
          <option value="">Any time</option>
          <option value="overdue">Overdue</option>
          <option value="week">In the next 7 days</option>
        </SelectField>
      </div>
      <QueryState query={tasks} what="Loading tasks">
        {(page) =>
          page.items.length === 0 ? <Empty>No tasks match.</Empty> : <ClientTaskTable tasks={page.items} showProject />
        }
      </QueryState>
      <ShowMore query={tasks} what="tasks" />
    </>
  );
}

/** Tasks as a client's pages list them, each leading to its page. */
export function ClientTaskTable({ tasks, showProject = false }: { tasks: Task[]; showProject?: boolean }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Task</th>
          {showProject && <th scope="col">Project</th>}
          <th scope="col">Status</th>
          <th scope="col">Assignee</th>
          <th scope="col">Due</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr key={t.id}>
            <td data-label="Task">
              <Link to={`/tasks/${t.id}`}>{t.title}</Link>
            </td>
            {showProject && (
              <td data-label="Project">
                <Link to={`/projects/${t.project_id}`}>{t.project_name}</Link>
              </td>
            )}
            <td data-label="Status">
              <StatusBadge status={t.status} />
            </td>
            <td data-label="Assignee">{t.assignee_name ?? '—'}</td>
            <td data-label="Due">
              <DueDate due={t.due_date} status={t.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
