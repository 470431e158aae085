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

const CPR_IN_TEXT = /(?<!\d)(\d{6})[- ]?(\d{4})(?!\d)/g;

/** True when free text holds something that is a valid CPR number: it must not be stored in plain text. */
export function containsCpr(text: string): boolean {
  for (const m of text.matchAll(CPR_IN_TEXT)) {
    if (parseCpr(`${m[1]}${m[2]}`)) return true;
  }
  return false;
}
