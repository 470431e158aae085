/**
 * A report's CSV read back as a Danish Excel reads it: UTF-8 after a byte order mark, `;` between
 * cells, quoted cells per RFC 4180, a decimal comma in numbers. The definition lines (one cell
 * starting with `# `) apart from the table, whose rows are objects keyed by the header.
 */
export function parseReportCsv(bytes: Buffer): { comments: string[]; rows: Record<string, string>[] } {
  if (!bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])))
    throw new Error(`the CSV does not start with a UTF-8 byte order mark: ${bytes.subarray(0, 8).toString('hex')}`);
  const text = bytes.subarray(3).toString('utf8');
  if (!text.endsWith('\r\n')) throw new Error('the CSV does not end with CRLF');
  const records = text.slice(0, -2).split('\r\n').map(splitCsvLine);
  const isComment = (cells: string[]) => cells.length === 1 && cells[0].startsWith('# ');
  const comments = records.filter(isComment).map((cells) => cells[0].slice(2));
  const [header, ...rows] = records.filter((cells) => !isComment(cells));
  for (const row of rows)
    if (row.length !== header.length) throw new Error(`a row of ${row.length} cells under ${header.length}: ${row}`);
  return { comments, rows: rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]]))) };
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ';' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  return [...cells, cell];
}

/** A CSV cell's number (decimal comma, as Danish Excel reads it), or null for an empty cell. */
export function danishNumber(cell: string): number | null {
  if (cell === '') return null;
  if (!/^-?\d+(,\d+)?$/.test(cell)) throw new Error(`not a number with a decimal comma: ${cell}`);
  return Number(cell.replace(',', '.'));
}

/**
 * Expects a CSV row's `<prefix>_hours` and `<prefix>_days` cells to be the JSON's duration in
 * milliseconds to two decimals (empty for none).
 */
export function expectDuration(row: Record<string, string>, prefix: string, ms: number | null): void {
  const [hours, days] = [danishNumber(row[`${prefix}_hours`]), danishNumber(row[`${prefix}_days`])];
  if (ms === null) {
    expect([hours, days]).toEqual([null, null]);
    return;
  }
  // Rounded to two decimals: at most half a hundredth off (a hair more for the binary fractions).
  expect(Math.abs(hours! - ms / 3_600_000)).toBeLessThanOrEqual(0.005 + 1e-9);
  expect(Math.abs(days! - ms / 86_400_000)).toBeLessThanOrEqual(0.005 + 1e-9);
}
