// Tables as CSV files (RFC 4180), for a spreadsheet: a header row, then one row per line of the
// table. The files are opened in spreadsheets, which run a cell that starts like a formula, so
// text that does is written as text (`'=…`): names and comments come from clients.

export type CsvValue = string | number | boolean | null | undefined;

/** What starts a formula in Excel, LibreOffice or Google Sheets (tab and CR too: OWASP's list). */
const FORMULA = /^[=+\-@\t\r]/;

/** One cell: quoted when it holds a comma, a quote or a line break (quotes doubled); text that
 * would start a formula gets a leading `'`. Numbers are written as they are (a negative
 * number is no formula). */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows, the header first, as one CSV text: cells split by commas, lines ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A file name of letters, digits and dashes: "Per client" → "per-client". */
export function fileSlug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'table'
  );
}

/** Saves `csv` as `name` (the browser's download). A byte order mark first, so spreadsheets
 * read the UTF-8 as UTF-8 (Excel otherwise mangles "Müller"). */
export function downloadCsv(name: string, csv: string): void {
  const blob = new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name.endsWith('.csv') ? name : `${name}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
