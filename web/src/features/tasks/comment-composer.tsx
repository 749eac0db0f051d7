import { useState, type FormEvent } from 'react';
import { TextArea } from '@/components/ui/field';
import { FormError, fieldError } from '@/components/ui/states';

export type Visibility = 'reply' | 'note';

interface Props {
  /** Staff who may write internal Notes get the Reply/Note choice; others write Replies only. */
  canNote: boolean;
  canReply: boolean;
  /** Whether files may go with the comment (`files.upload`). */
  canAttach?: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (body: string, visibility: Visibility, files: File[]) => Promise<unknown>;
}

/**
 * The comment box. For staff a Reply and a Note cannot be confused: Note is the default, and
 * each has its own colour, label and button text.
 */
export function CommentComposer({ canNote, canReply, canAttach = false, pending, error, onSubmit }: Props) {
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [visibility, setVisibility] = useState<Visibility>(canNote ? 'note' : 'reply');
  if (!canReply && !canNote) return null;
  const isNote = visibility === 'note';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    await onSubmit(body, visibility, files);
    setBody('');
    setFiles([]);
  };
  return (
    <form
      className={`composer composer--${visibility}`}
      onSubmit={submit}
      aria-label={isNote ? 'Add an internal note' : 'Reply to the client'}
    >
      {canNote && canReply && (
        <fieldset className="composer__choice">
          <legend>Who sees this?</legend>
          <label className="choice choice--note">
            <input
              type="radio"
              name="visibility"
              value="note"
              checked={isNote}
              onChange={() => setVisibility('note')}
            />
            Internal note — staff only
          </label>
          <label className="choice choice--reply">
            <input
              type="radio"
              name="visibility"
              value="reply"
              checked={!isNote}
              onChange={() => setVisibility('reply')}
            />
            Reply — visible to client
          </label>
        </fieldset>
      )}
      <p className={`composer__tag composer__tag--${visibility}`}>{isNote ? 'Internal note' : 'Visible to client'}</p>
      <FormError error={error} />
      <TextArea
        label={
          isNote ? 'Internal note (the client never sees it)' : canNote ? 'Reply (the client sees it)' : 'Your reply'
        }
        value={body}
        rows={4}
        onChange={(e) => setBody(e.target.value)}
        error={fieldError(error, 'body')}
      />
      {canAttach && (
        <div className="composer__files">
          <label>
            {isNote ? 'Attach files (internal, like the note)' : 'Attach files'}
            <input
              type="file"
              multiple
              onChange={(e) => {
                setFiles(Array.from(e.target.files ?? []));
                e.target.value = '';
              }}
            />
          </label>
          {files.length > 0 && (
            <ul className="plain" aria-label="Files to attach">
              {files.map((f) => (
                <li key={f.name}>
                  {f.name}{' '}
                  <button
                    type="button"
                    className="link"
                    onClick={() => setFiles(files.filter((x) => x !== f))}
                    aria-label={`Remove ${f.name}`}
                  >
                    remove
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <button
        className={`btn ${isNote ? 'btn--note' : 'btn--primary'}`}
        type="submit"
        disabled={pending || !body.trim()}
      >
        {isNote ? 'Add internal note' : canNote ? 'Send reply to client' : 'Send reply'}
      </button>
    </form>
  );
}
