import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('tasks');
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
      aria-label={isNote ? t('composer.noteForm') : t('composer.replyForm')}
    >
      {canNote && canReply && (
        <fieldset className="composer__choice">
          <legend>{t('composer.whoSees')}</legend>
          <label className="choice choice--note">
            <input
              type="radio"
              name="visibility"
              value="note"
              checked={isNote}
              onChange={() => setVisibility('note')}
            />
            {t('composer.chooseNote')}
          </label>
          <label className="choice choice--reply">
            <input
              type="radio"
              name="visibility"
              value="reply"
              checked={!isNote}
              onChange={() => setVisibility('reply')}
            />
            {t('composer.chooseReply')}
          </label>
        </fieldset>
      )}
      <p className={`composer__tag composer__tag--${visibility}`}>{t(`visibilityTag.${visibility}`)}</p>
      <FormError error={error} />
      <TextArea
        label={isNote ? t('composer.noteLabel') : canNote ? t('composer.replyLabel') : t('composer.yourReply')}
        value={body}
        rows={4}
        onChange={(e) => setBody(e.target.value)}
        error={fieldError(error, 'body')}
      />
      {canAttach && (
        <div className="composer__files">
          <label>
            {isNote ? t('composer.attachNoteFiles') : t('composer.attachFiles')}
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
            <ul className="plain" aria-label={t('composer.filesToAttach')}>
              {files.map((f) => (
                <li key={f.name}>
                  {f.name}{' '}
                  <button
                    type="button"
                    className="link"
                    onClick={() => setFiles(files.filter((x) => x !== f))}
                    aria-label={t('composer.removeFile', { name: f.name })}
                  >
                    {t('composer.remove')}
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
        {isNote ? t('composer.submitNote') : canNote ? t('composer.submitReplyToClient') : t('composer.submitReply')}
      </button>
    </form>
  );
}
