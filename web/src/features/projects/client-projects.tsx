import type { ReactNode } from 'react';
import { usePaged } from '@/lib/api/paging';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { date } from '@/lib/format';
import { ProgressBar, StatusBadge } from '@/components/ui/badge';
import { Empty, QueryState, ShowMore } from '@/components/ui/states';
import { projectQuery, projectTasksQuery, projectsQuery } from './api';
import { ClientTaskTable } from './client-tasks';

export function ProjectsPage() {
  const projects = usePaged(projectsQuery());
  return (
    <>
      <h1>Projects</h1>
      <QueryState query={projects} what="Loading projects">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No projects yet.</Empty>
          ) : (
            <ul className="cards">
              {page.items.map((p) => (
                <li key={p.id} className="card">
                  <h2>
                    <Link to={`/projects/${p.id}`}>{p.name}</Link>
                  </h2>
                  <StatusBadge status={p.status} />
                  <p className="muted">
                    {date(p.start_date)} – {date(p.end_date)}
                  </p>
                  <ProgressBar percent={p.progress.percent} label={`${p.name}: ${p.progress.percent}% done`} />
                  <p className="muted">
                    {p.progress.tasks_done} of {p.progress.tasks_total} tasks done
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <ShowMore query={projects} what="projects" />
    </>
  );
}

/** `files`: the project's Files area, which the app composes in. */
export function ProjectDetailPage({ files }: { files?: ReactNode }) {
  const { id = '' } = useParams();
  const project = useQuery(projectQuery(id));
  const tasks = usePaged(projectTasksQuery(id));
  return (
    <QueryState query={project} what="Loading the project">
      {(p) => (
        <>
          <p>
            <Link to="/projects">← All projects</Link>
          </p>
          <h1>{p.name}</h1>
          <div className="meta">
            <StatusBadge status={p.status} />
            <span>
              Timeline: {date(p.start_date)} – {date(p.end_date)}
            </span>
          </div>
          <ProgressBar percent={p.progress.percent} label={`${p.progress.percent}% done`} />
          {p.description && <p className="prose">{p.description}</p>}
          <h2>Tasks</h2>
          <QueryState query={tasks} what="Loading tasks">
            {(page) =>
              page.items.length === 0 ? <Empty>No tasks yet.</Empty> : <ClientTaskTable tasks={page.items} />
            }
          </QueryState>
          <ShowMore query={tasks} what="tasks" />
          {files}
        </>
      )}
    </QueryState>
  );
}
