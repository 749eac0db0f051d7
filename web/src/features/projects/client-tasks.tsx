// "All my tasks": every task of the client's account, beyond the few on the home, narrowed by
// project, status and when it is due.
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useAllPages, usePaged } from '@/lib/api/paging';
import { TASK_STATUSES } from '@/lib/choices';
import { today } from '@/lib/format';
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
  const { t } = useTranslation(['projects', 'common']);
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
      <h1>{t('myTasks.title')}</h1>
      <div className="grid filters">
        <SelectField
          label={t('myTasks.project')}
          value={params.get('project') ?? ''}
          onChange={(e) => set('project', e.target.value)}
        >
          <option value="">{t('myTasks.allProjects')}</option>
          {projects.data?.items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('myTasks.status')}
          value={params.get('status') ?? 'open'}
          onChange={(e) => set('status', e.target.value, 'open')}
        >
          <option value="open">{t('myTasks.notDone')}</option>
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`common:status.${s}`)}
            </option>
          ))}
          <option value="all">{t('myTasks.allStatuses')}</option>
        </SelectField>
        <SelectField
          label={t('myTasks.due')}
          value={params.get('due') ?? ''}
          onChange={(e) => set('due', e.target.value)}
        >
          <option value="">{t('myTasks.anyTime')}</option>
          <option value="overdue">{t('common:overdue')}</option>
          <option value="week">{t('myTasks.nextWeek')}</option>
        </SelectField>
      </div>
      <QueryState query={tasks} what={t('myTasks.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('myTasks.empty')}</Empty>
          ) : (
            <ClientTaskTable tasks={page.items} showProject />
          )
        }
      </QueryState>
      <ShowMore query={tasks} what={t('myTasks.more')} />
    </>
  );
}

/** Tasks as a client's pages list them, each leading to its page. */
export function ClientTaskTable({ tasks, showProject = false }: { tasks: Task[]; showProject?: boolean }) {
  const { t } = useTranslation(['projects', 'common']);
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t('taskTable.task')}</th>
          {showProject && <th scope="col">{t('taskTable.project')}</th>}
          <th scope="col">{t('taskTable.status')}</th>
          <th scope="col">{t('taskTable.assignee')}</th>
          <th scope="col">{t('taskTable.due')}</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((task) => (
          <tr key={task.id}>
            <td data-label={t('taskTable.task')}>
              <Link to={`/tasks/${task.id}`}>{task.title}</Link>
            </td>
            {showProject && (
              <td data-label={t('taskTable.project')}>
                <Link to={`/projects/${task.project_id}`}>{task.project_name}</Link>
              </td>
            )}
            <td data-label={t('taskTable.status')}>
              <StatusBadge status={task.status} />
            </td>
            <td data-label={t('taskTable.assignee')}>{task.assignee_name ?? t('common:none')}</td>
            <td data-label={t('taskTable.due')}>
              <DueDate due={task.due_date} status={task.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
