import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { can } from '@/lib/authorization';
import { bytes, projectFilesQuery, type FileItem } from '@/lib/files';
import { dateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { TextField } from '@/components/ui/field';
import { Empty, QueryState } from '@/components/ui/states';
import { UploadZone } from './upload-zone';

/** Where a file's page is, on the side of the portal the reader is on. */
export const filePath = (staff: boolean, id: string) => (staff ? `/staff/files/${id}` : `/files/${id}`);

/** A project's Files area: its files by folder, and (for those who may) an upload zone. */
export function ProjectFiles() {
  const { t } = useTranslation('files');
  const { id = '' } = useParams();
  const { me, viewingAs } = useSession();
  const staff = useLocation().pathname.startsWith('/staff');
  const files = useQuery(projectFilesQuery(id));
  const [folder, setFolder] = useState('');
  return (
    <section aria-labelledby="files">
      <h2 id="files">{t('projectFiles.title')}</h2>
      {can(me, 'files.upload') && !viewingAs && (
        <div className="panel">
          <TextField
            label={t('projectFiles.folder')}
            hint={t('projectFiles.folderHint')}
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
          />
          <UploadZone path={`/api/v1/projects/${id}/files`} fields={{ folder }} />
        </div>
      )}
      <QueryState query={files} what={t('loadingFiles')}>
        {(page) =>
          page.items.length === 0 ? <Empty>{t('noFiles')}</Empty> : <FileTable files={page.items} staff={staff} />
        }
      </QueryState>
    </section>
  );
}

export function FileTable({ files, staff }: { files: FileItem[]; staff: boolean }) {
  const { t } = useTranslation(['files', 'common']);
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t('fileTable.file')}</th>
          <th scope="col">{t('fileTable.version')}</th>
          <th scope="col">{t('fileTable.size')}</th>
          <th scope="col">{t('fileTable.review')}</th>
          <th scope="col">{t('fileTable.updated')}</th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr key={f.id}>
            <td data-label={t('fileTable.file')}>
              {f.folder && <span className="muted">{f.folder}/</span>}
              <Link to={filePath(staff, f.id)}>{f.name}</Link>
            </td>
            <td data-label={t('fileTable.version')}>{t('version', { number: f.current.number })}</td>
            <td data-label={t('fileTable.size')}>{bytes(f.current.size)}</td>
            <td data-label={t('fileTable.review')}>
              {f.review ? <StatusBadge status={f.review.status} /> : t('common:none')}
            </td>
            <td data-label={t('fileTable.updated')}>{dateTime(f.updated_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
