/**
 * The Danish personal identification number (CPR): DDMMYY-SSSS. The century follows from the
 * seventh digit; the modulus-11 check is not applied (numbers issued since 2007 may fail it).
 */
export interface Cpr {
  /** Ten digits, no separator. */
  digits: string;
  birthDate: string;
}

const CPR_SHAPE = /^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$/;

export function parseCpr(input: string): Cpr | null {
  const m = CPR_SHAPE.exec(input);
  if (!m) return null;
  const [, dd, mm, yy, centuryDigit, rest] = m;
  const year = fullYear(Number(yy), Number(centuryDigit));
  const birthDate = `${year}-${mm}-${dd}`;
  if (!isRealDate(birthDate)) return null;
  return { digits: `${dd}${mm}${yy}${centuryDigit}${rest}`, birthDate };
}

function fullYear(yy: number, digit7: number): number {
  if (digit7 <= 3) return 1900 + yy;
  if (digit7 === 4 || digit7 === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy;
}

export function isRealDate(isoDate: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** `DDMMYY-****`: her CPR number masked, for the parts the disclosure policy shows it masked to. */
export function maskCpr(cpr: Cpr): string {
  return `${cpr.digits.slice(0, 6)}-****`;
}

export function formatCpr(cpr: Cpr): string {
  return `${cpr.digits.slice(0, 6)}-${cpr.digits.slice(6)}`;
}

/** Any Unicode dash (hyphen, en/em dash, …) and the minus signs NFKC leaves alone. */
const DASHES = /[\p{Pd}\u2212\u2796\u207B\u208B]/gu;

/**
 * Text as the CPR detector reads it: Unicode NFKC (fullwidth digits and hyphens become ASCII, odd
 * spaces become spaces), then every dash and minus sign a hyphen and every white space a space.
 */
function normaliseForCpr(text: string): string {
  return text.normalize('NFKC').replace(DASHES, '-').replace(/\s/g, ' ');
}

/**
 * A CPR number as people write it: DDMMYY and SSSS, joined directly or by one space, dot, hyphen
 * or slash (`0304871234`, `030487-1234`, `030487 1234`, `030487/1234`), or with separators inside
 * the date too (`03.04.87-1234`, `03/04/87 1234`, `03-04-87-1234`).
 */
const CPR_FORMS = String.raw`(\d{2})([ ./-]?)(\d{2})\2(\d{2})[ ./-]?(\d{4})`;
const BOUNDED = {
  /** Free text: no digit right before or after (`order 12010190123456` is no CPR). */
  digits: new RegExp(String.raw`(?<!\d)${CPR_FORMS}(?!\d)`, 'g'),
  /** An identifier: no letter or digit right before or after either (hexadecimal ids such as UUIDs). */
  words: new RegExp(String.raw`(?<![\p{L}\p{N}])${CPR_FORMS}(?![\p{L}\p{N}])`, 'gu'),
};

/**
 * True when the text holds something that is a valid CPR number (a real birth date and a serial) in
 * any of the forms above, after Unicode normalisation: it must not be stored in plain text. The
 * one CPR detector: free text uses it as is; identifiers such as a token's subject with
 * `boundary: 'words'`, so that the digits inside a UUID or another hexadecimal id do not count.
 */
export function containsCpr(text: string, boundary: keyof typeof BOUNDED = 'digits'): boolean {
  for (const m of normaliseForCpr(text).matchAll(BOUNDED[boundary])) {
    if (parseCpr(`${m[1]}${m[3]}${m[4]}${m[5]}`)) return true;
  }
  return false;
}

/**
 * The text with every CPR number {@link containsCpr} finds (free-text boundaries) replaced by `mask`,
 * everything else left as it was: for logs, which must never hold one. Read as the detector reads
 * it, one character at a time, so that a match maps back to the characters it came from.
 */
export function maskCprs(text: string, mask = '[CPR]'): string {
  if (!containsCpr(text)) return text;
  let normalised = '';
  /** For each normalised character (and one past the end), where its character starts in `text`. */
  const origin: number[] = [];
  let offset = 0;
  for (const char of text) {
    const read = normaliseForCpr(char);
    for (let i = 0; i < read.length; i++) origin.push(offset);
    normalised += read;
    offset += char.length;
  }
  origin.push(text.length);
  let masked = '';
  let last = 0;
  for (const m of normalised.matchAll(BOUNDED.digits)) {
    if (!parseCpr(`${m[1]}${m[3]}${m[4]}${m[5]}`)) continue;
    const start = origin[m.index];
    masked += text.slice(last, start) + mask;
    last = origin[m.index + m[0].length];
  }
  masked += text.slice(last);
  // Whatever the character-wise reading missed, the whole-text one would find: mask it all then.
  return containsCpr(masked) ? mask : masked;
}
