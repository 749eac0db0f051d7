// The pieces every metrics section is made of: headline figures, tables that download as CSV,
// and charts that always come with the same numbers as a table.
import { Suspense, useId, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { today } from '@/lib/format';
import { Empty } from '@/components/ui/states';
import { downloadCsv, toCsv, type CsvValue } from './csv';

/** Headline figures: a label and its value each. */
export function Figures({ items }: { items: { label: string; value: ReactNode; hint?: string }[] }) {
  return (
    <dl className="facts">
      {items.map((item) => (
        <div key={item.label}>
          <dt>{item.label}</dt>
          <dd>
            {item.value}
            {item.hint && (
              <div className="muted" style={{ fontWeight: 'normal', fontSize: '0.85rem' }}>
                {item.hint}
              </div>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export interface Column<T> {
  header: string;
  /** The CSV file's heading, where its cells say it differently (hours rather than "2 days"). */
  csvHeader?: string;
  cell: (row: T) => ReactNode;
  /** The cell in the CSV file: counts as numbers, instants as RFC 3339, hours with one decimal. */
  csv: (row: T) => CsvValue;
  /** A number: right-aligned. */
  num?: boolean;
}

/** A table of `rows` with a caption, and a button that saves it as `<file>-<today>.csv` (without
 * rows: its name and that it has none). */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  file,
  empty,
}: {
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string;
  file: string;
  /** What an empty table says, when not "nothing in this period". */
  empty?: string;
}) {
  const { t } = useTranslation('metrics');
  const download = () =>
    downloadCsv(
      `${file}-${today()}.csv`,
      toCsv(
        columns.map((c) => c.csvHeader ?? c.header),
        rows.map((row) => columns.map((c) => c.csv(row))),
      ),
    );
  if (rows.length === 0)
    return (
      <div style={{ margin: '0.75rem 0 1.25rem' }}>
        <p className="summary">{caption}</p>
        <Empty>{empty ?? t('table.empty')}</Empty>
      </div>
    );
  return (
    <div style={{ margin: '0.75rem 0 1.25rem' }}>
      <div style={{ overflowX: 'auto' }}>
        <table className="table">
          <caption style={{ textAlign: 'left', fontWeight: 600, padding: '0.4rem 0' }}>{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.header} scope="col" className={c.num ? 'num' : undefined}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={rowKey(row, i)}>
                {columns.map((c, j) =>
                  j === 0 ? (
                    <th key={c.header} scope="row" data-label={c.header} className={c.num ? 'num' : undefined}>
                      {c.cell(row)}
                    </th>
                  ) : (
                    <td key={c.header} data-label={c.header} className={c.num ? 'num' : undefined}>
                      {c.cell(row)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p style={{ margin: '0.5rem 0 0' }}>
        <button type="button" className="btn btn--small" onClick={download}>
          <Trans
            t={t}
            i18nKey="table.download"
            values={{ table: caption }}
            components={{ hidden: <span className="visually-hidden" /> }}
          />
        </button>
      </p>
    </div>
  );
}

/** A chart with its name and what it shows as the figure's caption, and its numbers as a table
 * (closed until asked for, but always in the page, for screen readers and for a search). */
export function ChartFigure({
  title,
  description,
  chart,
  table,
}: {
  title: string;
  description: string;
  chart: ReactNode;
  table: ReactNode;
}) {
  const { t } = useTranslation('metrics');
  const id = useId();
  // Named by its caption's title, described by the rest (said outright: not every tool reads a
  // <figcaption> as the name).
  return (
    <figure style={{ margin: '1rem 0' }} aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <figcaption>
        <strong id={`${id}-title`}>{title}</strong>{' '}
        <span className="muted" id={`${id}-desc`}>
          {description}
        </span>
      </figcaption>
      {/* The chart library loads with the first chart; the table below does not wait for it. */}
      <Suspense fallback={null}>{chart}</Suspense>
      <details>
        <summary>{t('table.showTable')}</summary>
        {table}
      </details>
    </figure>
  );
}
