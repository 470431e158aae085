import type { FastifyReply } from 'fastify';

/** A cell as text: quoted when it holds a separator, quote or line break (RFC 4180). */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  // A spreadsheet would run a cell starting like a formula.
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A table as CSV: the definitions first, as `#` comment lines (the definitions belong next to the
 * figures), then a header row and a row per record, CRLF-separated.
 */
export function toCsv(
  definitions: readonly string[],
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const lines = [...definitions.map((d) => `# ${d}`), columns.join(','), ...rows.map((r) => r.map(cell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
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
