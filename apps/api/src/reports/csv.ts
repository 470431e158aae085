import type { FastifyReply } from 'fastify';

/**
 * The CSV dialect of the reports: what a Danish Excel opens as a table by a double click. UTF-8 with
 * a byte order mark (without it Excel reads the file as Windows-1252 and garbles æ, ø and å), `;`
 * between cells (the list separator of a Danish Windows; a comma is the decimal separator there) and
 * a decimal comma in numbers. No `sep=;` line: Excel ignores the byte order mark after one.
 */
export const CSV_SEPARATOR = ';';
const BOM = '\uFEFF';

/** A number with a decimal comma (1234.5 → `1234,5`), without thousands separators. */
function decimal(value: number): string {
  return String(value).replace('.', ',');
}

/** A cell as text: numbers with a decimal comma; quoted when it holds a separator, quote or line break (RFC 4180). */
function cell(value: unknown): string {
  if (typeof value === 'number') return decimal(value);
  let text = value === null || value === undefined ? '' : String(value);
  // A spreadsheet would run a cell starting like a formula.
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A table as CSV: the definitions first, each a one-cell line starting with `# ` (the definitions
 * belong next to the figures), then a header row and a row per record, CRLF-separated.
 */
export function toCsv(
  definitions: readonly string[],
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const lines = [
    ...definitions.map((d) => cell(`# ${d}`)),
    columns.map(cell).join(CSV_SEPARATOR),
    ...rows.map((r) => r.map(cell).join(CSV_SEPARATOR)),
  ];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

const HOUR_MS = 3_600_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** A duration in milliseconds as [hours, days], each to two decimals; [null, null] for none. */
export function hoursAndDays(ms: number | null): [number | null, number | null] {
  return ms === null ? [null, null] : [round2(ms / HOUR_MS), round2(ms / (24 * HOUR_MS))];
}

/** True when the caller asked for CSV: `Accept: text/csv`, or `?format=csv` for a plain link. */
export function wantsCsv(accept: string | undefined, format: string | undefined): boolean {
  if (format) return format === 'csv';
  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept ?? '');
}

export function sendCsv(reply: FastifyReply, filename: string, csv: string): string {
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`);
  return csv;
}
