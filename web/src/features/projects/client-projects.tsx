import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePaged } from '@/lib/api/paging';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { date } from '@/lib/format';
import { ProgressBar, StatusBadge } from '@/components/ui/badge';
import { Empty, QueryState, ShowMore } from '@/components/ui/states';
import { projectQuery, projectTasksQuery, projectsQuery } from './api';
import { ClientTaskTable } from './client-tasks';

export function ProjectsPage() {
  const { t } = useTranslation('projects');
  const projects = usePaged(projectsQuery());
  return (
    <>
      <h1>{t('projectList.title')}</h1>
      <QueryState query={projects} what={t('projectList.loading')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('projectList.empty')}</Empty>
          ) : (
            <ul className="cards">
              {page.items.map((p) => (
                <li key={p.id} className="card">
                  <h2>
                    <Link to={`/projects/${p.id}`}>{p.name}</Link>
                  </h2>
                  <StatusBadge status={p.status} />
                  <p className="muted">{t('dateRange', { start: date(p.start_date), end: date(p.end_date) })}</p>
                  <ProgressBar
                    percent={p.progress.percent}
                    label={t('projectPercentDone', { name: p.name, percent: p.progress.percent })}
                  />
                  <p className="muted">
                    {t('projectList.tasksDone', { done: p.progress.tasks_done, total: p.progress.tasks_total })}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <ShowMore query={projects} what={t('projectList.more')} />
    </>
  );
}

/** `files`: the project's Files area, which the app composes in. */
export function ProjectDetailPage({ files }: { files?: ReactNode }) {
  const { t } = useTranslation('projects');
  const { id = '' } = useParams();
  const project = useQuery(projectQuery(id));
  const tasks = usePaged(projectTasksQuery(id));
  return (
    <QueryState query={project} what={t('projectDetail.loading')}>
      {(p) => (
        <>
          <p>
            <Link to="/projects">{t('projectDetail.allProjects')}</Link>
          </p>
          <h1>{p.name}</h1>
          <div className="meta">
            <StatusBadge status={p.status} />
            <span>{t('projectDetail.timeline', { start: date(p.start_date), end: date(p.end_date) })}</span>
          </div>
          <ProgressBar percent={p.progress.percent} label={t('percentDone', { percent: p.progress.percent })} />
          {p.description && <p className="prose">{p.description}</p>}
          <h2>{t('projectDetail.tasks')}</h2>
          <QueryState query={tasks} what={t('projectDetail.loadingTasks')}>
            {(page) =>
              page.items.length === 0 ? (
                <Empty>{t('projectDetail.noTasks')}</Empty>
              ) : (
                <ClientTaskTable tasks={page.items} />
              )
            }
          </QueryState>
          <ShowMore query={tasks} what={t('projectDetail.moreTasks')} />
          {files}
        </>
      )}
    </QueryState>
  );
}
