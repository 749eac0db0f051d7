import { useId, useRef, useState, type DragEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { FormError } from '@/components/ui/states';
import { ProgressBar } from '@/components/ui/badge';
import { useUpload } from '@/lib/files';

/**
 * Drop files here or pick them: each goes up in turn with its own progress bar, as the
 * multipart field `file` of `path` (with `fields`).
 */
export function UploadZone({
  path,
  fields,
  label,
  multiple = true,
}: {
  path: string;
  fields?: Record<string, string>;
  label?: string;
  multiple?: boolean;
}) {
  const { t } = useTranslation('files');
  const upload = useUpload(path);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const [over, setOver] = useState(false);
  const [current, setCurrent] = useState<{ name: string; percent: number } | null>(null);
  const send = async (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      setCurrent({ name: file.name, percent: 0 });
      try {
        await upload.mutateAsync({
          file,
          fields,
          onProgress: (f) => setCurrent({ name: file.name, percent: Math.round(f * 100) }),
        });
      } catch {
        break; // the error is shown below
      }
    }
    setCurrent(null);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length) void send(e.dataTransfer.files);
  };
  return (
    <div
      className={`dropzone${over ? ' dropzone--over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <label htmlFor={id}>
        <Trans
          t={t}
          i18nKey="uploadZone.prompt"
          values={{ label: label ?? t('uploadZone.label') }}
          components={{ strong: <strong />, choose: <span className="link" role="button" tabIndex={-1} /> }}
        />
      </label>
      <input
        id={id}
        ref={input}
        type="file"
        multiple={multiple}
        className="visually-hidden"
        onChange={(e) => {
          if (e.target.files?.length) void send(e.target.files);
          e.target.value = '';
        }}
      />
      {current && (
        <ProgressBar
          percent={current.percent}
          label={t('uploadZone.uploading', { name: current.name, percent: current.percent })}
        />
      )}
      <FormError error={upload.error} />
    </div>
  );
}
