/** The public API, as the signed-in user. Only same-origin calls; the token never leaves this tab. */
import { errorText } from './error-texts';
import type { Language } from './texts';

/** A field at fault (400 VALIDATION_FAILED): its JSON pointer, the English problem, and the rule it breaks. */
export interface FieldProblem {
  field: string;
  problem: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    /** The details of a refusal that are not fields, e.g. `{ reference }` of CASE_ALREADY_OPEN. */
    readonly facts: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Any failure in the page's language: an API refusal by its code (error-texts.ts), anything else by its own message. */
export function describeError(error: unknown, language: Language): string {
  if (error instanceof ApiError) return errorText(error, language);
  return error instanceof Error ? error.message : String(error);
}

export type Title = { da: string; en: string } | null;

export interface MilestoneItem {
  caseId: string;
  reference: string;
  milestone: string;
  rule: string;
  title: Title;
  /** `scheduled`: open, but its clock has not started yet. */
  status: 'scheduled' | 'open' | 'paused' | 'met' | 'breached' | 'waived';
  owner: string;
  openedAt?: string;
  dueAt: string;
  closedAt?: string | null;
  timeLeftMs: number | null;
  level: string | null;
  late: boolean;
  pauses: { from: string; to: string | null; reason?: string }[];
  /** The commands whose events meet it. */
  meetsWith?: string[];
  /** In the work queue: her case is in week 37 or later. */
  birthImminent?: boolean;
  explanation?: Explanation;
  ladder?: {
    step: string;
    kind: 'warning' | 'breach' | 'escalation';
    level?: 1 | 2;
    at: string;
    firedAt: string | null;
  }[];
  /** A pausable milestone: the allowance (ISO 8601), paused so far and left, when read. */
  pauseAllowance?: { total: string; usedMs: number; leftMs: number } | null;
  /** The highest escalation level of its ladder (0: none). */
  escalationLevels?: number;
  /** Who its ladder has alerted, oldest first. */
  alerted?: MilestoneAlerted[];
  lostContact?: { since: string; effect: string; text: { da: string; en: string } } | null;
}

/** Why a milestone is due when it is (the API's explanation). */
export interface Explanation {
  policy: { name: string; version: number };
  rule: string;
  basis: 'LAW' | 'REC' | 'PROP';
  anchor: { signal: string; at: string };
  calendar: 'calendar' | 'working-days' | 'weekdays';
  duration: string;
  unscaledDueAt: string;
  endOfDay: boolean;
  scaling: { week: number; factor: number } | null;
  legalCap: { duration: string; at: string; applied: boolean } | null;
  notLaterThan: { beforeDueDate: string; at: string; applied: boolean } | null;
  /** `reason` only to those shown clinical detail (free text, like a note). */
  pauses: { from: string; to: string | null; reason?: string; resumeBy?: string }[];
  pausedMs: number;
  maxPause: string | null;
  birthImminent?: { week: number; at: string; step: string; applied: boolean } | null;
  dueAt: string;
}

export interface MilestoneAlerted {
  step: string;
  kind: 'warning' | 'breach' | 'escalation';
  level: 0 | 1 | 2;
  raisedAt: string;
  status: 'open' | 'acknowledged' | 'resolved';
  audience: Alert['audience'];
  /** Who took it: shown with the logistics only. */
  acknowledged?: { by: string; organisation: string; at: string } | null;
}

export interface Alert {
  id: string;
  caseId: string;
  caseReference: string;
  milestone: string;
  rule: string;
  title: Title;
  step: string;
  kind: 'warning' | 'breach' | 'escalation';
  level: number;
  severity: 'info' | 'high' | 'critical';
  owner: string;
  dueAt: string;
  raisedAt: string;
  status: 'open' | 'acknowledged' | 'resolved';
  acknowledged: { by: string; organisation: string; at: string } | null;
  /** Who it went to: the coordinator, and the contact tier it has reached. */
  audience: ('coordinator' | 'duty-inbox' | 'team-lead' | 'management')[];
  /** The case coordinator's user id, or null while none is assigned. */
  coordinator: string | null;
}

/**
 * A case as the API shows it to the signed-in role: the fields of the classes its part in the case
 * is granted (GET /v1/disclosure). The referral's status is always there; the rest may be left out.
 */
export interface CaseView {
  id: string;
  reference: string;
  version: number;
  status: 'open' | 'closed';
  municipality: { code: string; name: string; region: string };
  stage?: string;
  estimatedDueDate?: string;
  gestationalAge?: { weeks: number; days: number } | null;
  birthImminent?: boolean;
  birthAt?: string | null;
  coordinator?: { id: string; name: string; organisation: string } | null;
  consent?: Record<string, string | null>;
  registeredAt?: string;
  openMilestones?: number;
  openAlerts?: number;
  contactLostSince?: string | null;
  /** Her name (GET /v1/cases/{id}, where her identity is shown; null: none recorded). */
  name?: string | null;
  /** Her earlier cases (a caller shown her identity in both). */
  earlierCases?: { reference: string; detectedAt: string; closedAt: string | null; stage: string }[];
}

/** A deadline of a referral (GET /v1/referrals), and whether it is kept. */
export interface ReferralDeadline {
  milestone: string;
  title: Title;
  owner: string;
  status: MilestoneItem['status'];
  dueAt: string;
  /** When it was met (null: not met, or waived). */
  metAt: string | null;
  /** Met in time or not yet due; false: late or breached; null: waived. */
  onTime: boolean | null;
}

/** A referral as its referrer follows it (GET /v1/referrals): no clinical detail, no CPR number. */
export interface Referral {
  caseId: string;
  reference: string;
  registeredAt: string;
  status: 'open' | 'closed';
  handoffs: {
    kind: string;
    to: string;
    sentAt: string;
    acknowledgedAt: string | null;
    /** The deadline to acknowledge it (null: none was set). */
    acknowledgement: ReferralDeadline | null;
  }[];
  notifications: { municipality: string; notifiedAt: string; receiptConfirmedAt: string | null; assessed: boolean }[];
  deadlines: ReferralDeadline[];
}

export interface HistoryEntry {
  position: number;
  /** The event's number in the case's stream (the audit's writes say it too). */
  sequence: number;
  version: number;
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
  /** `id`: the person, only to those shown the logistics. */
  actor?: { id?: string; role: string; organisation: string | null };
}

export interface CaseAction {
  command: string;
  summary: string;
  /** `meets-milestone`: it meets `milestone`; `milestone-clock`: it pauses, resumes or waives it; `stage`: it fits the stage. */
  reason?: 'meets-milestone' | 'milestone-clock' | 'stage';
  milestone?: string;
  prefill?: Record<string, unknown>;
  body: JsonSchema;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: string[];
  format?: string;
  items?: JsonSchema;
  description?: string;
  minLength?: number;
  maxLength?: number;
  [key: string]: unknown;
}

export class Api {
  constructor(
    private readonly token: string,
    /** The API refused the token (expired, or not one it accepts): the user must sign in again. */
    private readonly onUnauthenticated: (message: string) => void,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.request<T>('POST', path, body, headers);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }

  /** A report as CSV, saved as a file by the browser. */
  async downloadCsv(path: string, filename: string): Promise<void> {
    const res = await fetch(path, { headers: { authorization: `Bearer ${this.token}`, accept: 'text/csv' } });
    if (!res.ok) throw await this.failure(res);
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement('a'), { href: url, download: filename });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** The server-sent alert stream (EventSource cannot send headers: the token goes in the query). */
  alertStream(): EventSource {
    return new EventSource(`/v1/alerts/stream?access_token=${encodeURIComponent(this.token)}`);
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      ...extra,
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw await this.failure(res);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  private async failure(res: Response): Promise<ApiError> {
    const body = (await res.json().catch(() => null)) as {
      code?: string;
      message?: string;
      details?: FieldProblem[] | Record<string, unknown>;
    } | null;
    if (res.status === 401) this.onUnauthenticated(body?.message ?? res.statusText);
    return new ApiError(
      res.status,
      body?.code ?? `HTTP_${res.status}`,
      body?.message ?? res.statusText,
      Array.isArray(body?.details) ? body.details : [],
      body?.details && !Array.isArray(body.details) && typeof body.details === 'object' ? body.details : {},
    );
  }
}
