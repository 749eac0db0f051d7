import { useState, type FormEvent } from 'react';
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
} from '@/lib/files';
import { date, dateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import { StatusBadge } from '@/components/ui/badge';
import { TextArea, TextField } from '@/components/ui/field';
import { Empty, FormError, QueryState } from '@/components/ui/states';
import { UploadZone } from './upload-zone';

export function FilePage() {
  const { id = '' } = useParams();
  const staff = useLocation().pathname.startsWith('/staff');
  const file = useQuery(fileQuery(id));
  return (
    <QueryState query={file} what="Loading the file">
      {(f) => (
        <>
          <p>
            <Link to={staff ? `/staff/projects/${f.project_id}` : `/projects/${f.project_id}`}>← Project</Link>
          </p>
          <h1>{f.name}</h1>
          <dl className="facts">
            <div>
              <dt>Version</dt>
              <dd>v{f.current.number}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{bytes(f.current.size)}</dd>
            </div>
            <div>
              <dt>Type</dt>
              <dd>{f.current.content_type}</dd>
            </div>
            <div>
              <dt>Review</dt>
              <dd>{f.review ? <StatusBadge status={f.review.status} /> : 'Not under review'}</dd>
            </div>
          </dl>
          <p>
            <button type="button" className="btn btn--primary" onClick={() => void download(f.id, f.current.number)}>
              Download
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
  const kind = previewable(file.current.content_type);
  const link = useFileLink(file.id, file.current.number, !!kind);
  if (!kind || !link.data) return null;
  return (
    <figure className="preview">
      {kind === 'image' ? (
        <img src={link.data} alt={`Preview of ${file.name}, version ${file.current.number}`} />
      ) : (
        <iframe src={link.data} title={`Preview of ${file.name}, version ${file.current.number}`} />
      )}
    </figure>
  );
}

function ReviewPanel({ file }: { file: FileItem }) {
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
      <h2 id="review">Review of version {r.version_number}</h2>
      <p>
        <StatusBadge status={r.status} />
        {r.due_date && open && <span className="muted"> · please decide by {date(r.due_date)}</span>}
      </p>
      {r.message && <p className="prose">{r.message}</p>}
      {r.decided_at && (
        <p className="muted">
          {r.status === 'approved' ? 'Approved' : 'Changes requested'} by {r.decided_by_name ?? 'the client'} on{' '}
          {dateTime(r.decided_at)}
        </p>
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
            Approve version {r.version_number}
          </button>{' '}
          <button type="button" className="btn" onClick={() => setAsking(true)}>
            Request changes
          </button>
        </p>
      )}
      {mayDecide && asking && (
        <form onSubmit={send} aria-label="Request changes">
          <TextArea label="What should change?" value={comment} rows={4} onChange={(e) => setComment(e.target.value)} />
          <button className="btn btn--primary" type="submit" disabled={decide.isPending || !comment.trim()}>
            Send the request for changes
          </button>{' '}
          <button type="button" className="btn btn--light" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </form>
      )}
    </section>
  );
}

function Versions({ file }: { file: FileItem }) {
  const versions = useQuery(versionsQuery(file.id));
  return (
    <section aria-labelledby="versions">
      <h2 id="versions">Versions</h2>
      <QueryState query={versions} what="Loading versions">
        {(items) => (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Uploaded</th>
                <th scope="col">By</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                <th scope="col">
                  <span className="visually-hidden">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((v) => (
                <tr key={v.id}>
                  <td data-label="Version">v{v.number}</td>
                  <td data-label="Uploaded">{dateTime(v.created_at)}</td>
                  <td data-label="By">{v.uploaded_by_name ?? '—'}</td>
                  <td data-label="Size">{bytes(v.size)}</td>
                  <td data-label="SHA-256">
                    <code title={v.sha256}>{v.sha256.slice(0, 12)}…</code>
                  </td>
                  <td data-label="Download">
                    <button type="button" className="link" onClick={() => void download(file.id, v.number)}>
                      Download v{v.number}
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
  const reviews = useQuery(reviewsQuery(id));
  return (
    <section aria-labelledby="history">
      <h2 id="history">Review history</h2>
      <QueryState query={reviews} what="Loading the history">
        {(items) =>
          items.length === 0 ? (
            <Empty>No reviews yet.</Empty>
          ) : (
            <ol className="plain">
              {items.map((r) => (
                <li key={r.id}>
                  v{r.version_number}: <StatusBadge status={r.status} /> — asked by {r.requested_by_name ?? 'staff'} on{' '}
                  {dateTime(r.requested_at)}
                  {r.decided_at && (
                    <>
                      , decided by {r.decided_by_name ?? 'the client'} on {dateTime(r.decided_at)}
                    </>
                  )}
                  {r.comment && <div className="muted">“{r.comment}”</div>}
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
      <h2 id="manage">Manage</h2>
      {can(me, 'files.upload') && (
        <UploadZone path={`/api/v1/files/${file.id}/versions`} label="Upload a new version" multiple={false} />
      )}
      {!open && !approvedNow && (
        <form onSubmit={ask} aria-label="Ask the client to review">
          <h3>Ask the client to review version {file.current.number}</h3>
          <FormError error={request.error} />
          <TextArea label="Message (optional)" value={message} rows={3} onChange={(e) => setMessage(e.target.value)} />
          <TextField label="Due date (optional)" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
          <button className="btn btn--primary" type="submit" disabled={request.isPending}>
            Request review
          </button>
        </form>
      )}
      {open && (
        <p>
          <button type="button" className="btn" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
            Withdraw the review request
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
            if (!window.confirm(`Delete “${file.name}” and all its versions?`)) return;
            await remove.mutateAsync();
            navigate(`/staff/projects/${file.project_id}`);
          }}
        >
          Delete file
        </button>
      </p>
    </section>
  );
}
