import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { can, isStaff } from '@/lib/authorization';
import {
  bytes,
  download,
  fileQuery,
  previewable,
  reviewsQuery,
  useCancelReview,
  useDecide,
  useDeleteFile,
  useFileLink,
  useRequestReview,
  versionsQuery,
  type FileItem,
  type Review,
} from '@/lib/files';
import { date, dateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { TextArea, TextField } from '@/components/ui/field';
import { Empty, FormError, QueryState } from '@/components/ui/states';
import { UploadZone } from './upload-zone';

export function FilePage() {
  const { t } = useTranslation(['files', 'common']);
  const { id = '' } = useParams();
  const staff = useLocation().pathname.startsWith('/staff');
  const file = useQuery(fileQuery(id));
  return (
    <QueryState query={file} what={t('filePage.loading')}>
      {(f) => (
        <>
          <p>
            <Link to={staff ? `/staff/projects/${f.project_id}` : `/projects/${f.project_id}`}>
              {t('filePage.back')}
            </Link>
          </p>
          <h1>{f.name}</h1>
          <dl className="facts">
            <div>
              <dt>{t('filePage.version')}</dt>
              <dd>{t('version', { number: f.current.number })}</dd>
            </div>
            <div>
              <dt>{t('filePage.size')}</dt>
              <dd>{bytes(f.current.size)}</dd>
            </div>
            <div>
              <dt>{t('filePage.type')}</dt>
              <dd>{f.current.content_type}</dd>
            </div>
            <div>
              <dt>{t('filePage.review')}</dt>
              <dd>{f.review ? <StatusBadge status={f.review.status} /> : t('filePage.notUnderReview')}</dd>
            </div>
          </dl>
          <p>
            <button type="button" className="btn btn--primary" onClick={() => void download(f.id, f.current.number)}>
              {t('common:action.download')}
            </button>
          </p>
          <Preview file={f} />
          <ReviewPanel file={f} />
          <Versions file={f} />
          <History id={f.id} />
          {staff && <StaffActions file={f} />}
        </>
      )}
    </QueryState>
  );
}

/** Images and PDF shown in the page, through a short-lived link of the reader's. */
function Preview({ file }: { file: FileItem }) {
  const { t } = useTranslation('files');
  const kind = previewable(file.current.content_type);
  const link = useFileLink(file.id, file.current.number, !!kind);
  if (!kind || !link.data) return null;
  const title = t('preview', { name: file.name, number: file.current.number });
  return (
    <figure className="preview">
      {kind === 'image' ? <img src={link.data} alt={title} /> : <iframe src={link.data} title={title} />}
    </figure>
  );
}

function ReviewPanel({ file }: { file: FileItem }) {
  const { t } = useTranslation(['files', 'common']);
  const { me, viewingAs } = useSession();
  const decide = useDecide(file.id);
  const [comment, setComment] = useState('');
  const [asking, setAsking] = useState(false);
  const r = file.review;
  if (!r) return null;
  const open = r.status === 'pending';
  const mayDecide = open && !isStaff(me) && can(me, 'deliverables.approve') && !viewingAs;
  const send = async (e: FormEvent) => {
    e.preventDefault();
    await decide.mutateAsync({ decision: 'changes_requested', version: r.version_number, comment });
    setComment('');
    setAsking(false);
  };
  return (
    <section className="panel" aria-labelledby="review">
      <h2 id="review">{t('review.title', { number: r.version_number })}</h2>
      <p>
        <StatusBadge status={r.status} />
        {r.due_date && open && <span className="muted"> · {t('review.decideBy', { date: date(r.due_date) })}</span>}
      </p>
      {r.message && <p className="prose">{r.message}</p>}
      {r.decided_at && (
        <p className="muted">{t(decisionKey(r), { name: r.decided_by_name, date: dateTime(r.decided_at) })}</p>
      )}
      {r.comment && <blockquote>{r.comment}</blockquote>}
      <FormError error={decide.error} />
      {mayDecide && !asking && (
        <p className="actions">
          <button
            type="button"
            className="btn btn--primary"
            disabled={decide.isPending}
            onClick={() => decide.mutate({ decision: 'approved', version: r.version_number })}
          >
            {t('review.approve', { number: r.version_number })}
          </button>{' '}
          <button type="button" className="btn" onClick={() => setAsking(true)}>
            {t('review.requestChanges')}
          </button>
        </p>
      )}
      {mayDecide && asking && (
        <form onSubmit={send} aria-label={t('review.requestChanges')}>
          <TextArea
            label={t('review.whatShouldChange')}
            value={comment}
            rows={4}
            onChange={(e) => setComment(e.target.value)}
          />
          <button className="btn btn--primary" type="submit" disabled={decide.isPending || !comment.trim()}>
            {t('review.send')}
          </button>{' '}
          <button type="button" className="btn btn--light" onClick={() => setAsking(false)}>
            {t('common:action.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}

function Versions({ file }: { file: FileItem }) {
  const { t } = useTranslation(['files', 'common']);
  const versions = useQuery(versionsQuery(file.id));
  return (
    <section aria-labelledby="versions">
      <h2 id="versions">{t('versions.title')}</h2>
      <QueryState query={versions} what={t('versions.loading')}>
        {(items) => (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('versions.version')}</th>
                <th scope="col">{t('versions.uploaded')}</th>
                <th scope="col">{t('versions.by')}</th>
                <th scope="col">{t('versions.size')}</th>
                <th scope="col">{t('versions.sha256')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common:action.download')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((v) => (
                <tr key={v.id}>
                  <td data-label={t('versions.version')}>{t('version', { number: v.number })}</td>
                  <td data-label={t('versions.uploaded')}>{dateTime(v.created_at)}</td>
                  <td data-label={t('versions.by')}>{v.uploaded_by_name ?? t('common:none')}</td>
                  <td data-label={t('versions.size')}>{bytes(v.size)}</td>
                  <td data-label={t('versions.sha256')}>
                    <code title={v.sha256}>{v.sha256.slice(0, 12)}…</code>
                  </td>
                  <td data-label={t('common:action.download')}>
                    <button type="button" className="link" onClick={() => void download(file.id, v.number)}>
                      {t('versions.download', { number: v.number })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}

function History({ id }: { id: string }) {
  const { t } = useTranslation('files');
  const reviews = useQuery(reviewsQuery(id));
  return (
    <section aria-labelledby="history">
      <h2 id="history">{t('history.title')}</h2>
      <QueryState query={reviews} what={t('history.loading')}>
        {(items) =>
          items.length === 0 ? (
            <Empty>{t('history.empty')}</Empty>
          ) : (
            <ol className="plain">
              {items.map((r) => (
                <li key={r.id}>
                  <Trans
                    t={t}
                    i18nKey={historyKey(r)}
                    values={{
                      number: r.version_number,
                      asker: r.requested_by_name,
                      asked: dateTime(r.requested_at),
                      decider: r.decided_by_name,
                      decided: r.decided_at ? dateTime(r.decided_at) : '',
                    }}
                    components={{ badge: <StatusBadge status={r.status} /> }}
                  />
                  {r.comment && <div className="muted">{t('quote', { text: r.comment })}</div>}
                </li>
              ))}
            </ol>
          )
        }
      </QueryState>
    </section>
  );
}

function StaffActions({ file }: { file: FileItem }) {
  const { t } = useTranslation('files');
  const { me, viewingAs } = useSession();
  const request = useRequestReview(file.id);
  const cancel = useCancelReview(file.id);
  const remove = useDeleteFile(file.id);
  const navigate = useNavigate();
  const [message, setMessage] = useState('');
  const [due, setDue] = useState('');
  if (viewingAs || !can(me, 'projects.write')) return null;
  const open = file.review?.status === 'pending';
  const approvedNow = file.review?.status === 'approved' && file.review.version_number === file.current.number;
  const ask = async (e: FormEvent) => {
    e.preventDefault();
    await request.mutateAsync({ message: message || null, due_date: due || null });
    setMessage('');
    setDue('');
  };
  return (
    <section className="panel" aria-labelledby="manage">
      <h2 id="manage">{t('manage.title')}</h2>
      {can(me, 'files.upload') && (
        <UploadZone path={`/api/v1/files/${file.id}/versions`} label={t('manage.upload')} multiple={false} />
      )}
      {!open && !approvedNow && (
        <form onSubmit={ask} aria-label={t('manage.askLabel')}>
          <h3>{t('manage.askTitle', { number: file.current.number })}</h3>
          <FormError error={request.error} />
          <TextArea label={t('manage.message')} value={message} rows={3} onChange={(e) => setMessage(e.target.value)} />
          <TextField label={t('manage.due')} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
          <button className="btn btn--primary" type="submit" disabled={request.isPending}>
            {t('manage.request')}
          </button>
        </form>
      )}
      {open && (
        <p>
          <button type="button" className="btn" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
            {t('manage.withdraw')}
          </button>
        </p>
      )}
      <FormError error={cancel.error ?? remove.error} />
      <p>
        <button
          type="button"
          className="btn btn--danger"
          disabled={remove.isPending}
          onClick={async () => {
            if (!window.confirm(t('manage.confirmDelete', { name: file.name }))) return;
            await remove.mutateAsync();
            navigate(`/staff/projects/${file.project_id}`);
          }}
        >
          {t('manage.delete')}
        </button>
      </p>
    </section>
  );
}

/** Who decided a review, and how: the decider's name, or the client when the name is gone. */
function decisionKey(r: Review) {
  const how = r.status === 'approved' ? 'approved' : 'changesRequested';
  return `review.${how}${r.decided_by_name ? 'By' : 'ByClient'}` as const;
}

/** A past review's line: who asked (staff when the name is gone) and, once decided, who decided. */
function historyKey(r: Review) {
  const asked = r.requested_by_name ? 'byName' : 'byStaff';
  if (!r.decided_at) return `history.${asked}` as const;
  return `history.${asked}Decided${r.decided_by_name ? 'ByName' : 'ByClient'}` as const;
}
