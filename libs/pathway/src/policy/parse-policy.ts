import { parseDuration, type Duration } from '../time/duration';
import { BASES, BIRTH_IMMINENT_STEP, CALENDAR_KINDS, OWNER_KINDS, type LadderStepSpec, type Policy } from './policy';
import { CLOSE_REASONS } from '../case/case.commands';
import { isSignal } from './signals';

export type PolicyParse = { ok: true; policy: Policy } | { ok: false; problems: string[] };

/**
 * Checks a policy document (parsed JSON) against the policy schema and the rules that make it
 * usable: every problem is named by its field, e.g. `milestones[3].deadline.duration: …`.
 */
export function parsePolicy(input: unknown): PolicyParse {
  const problems: string[] = [];
  const p = new Checker(problems);
  const doc = p.object(input, '', [
    'name',
    'version',
    'description',
    'timeZone',
    'scaling',
    'pause',
    'ladder',
    'waivedBy',
    'milestones',
    'alerts',
    'closure',
    'birth',
    '$schema',
  ]);
  if (!doc) return { ok: false, problems };

  p.string(doc.name, 'name', /^[a-z][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens');
  p.integer(doc.version, 'version', 1);
  if (doc.description !== undefined) p.string(doc.description, 'description');
  if (doc.timeZone !== 'Europe/Copenhagen') problems.push('timeZone: must be "Europe/Copenhagen"');

  const scaling = p.object(doc.scaling, 'scaling', ['appliesTo', 'bands', 'birthImminentWeek']);
  if (scaling) {
    p.array(scaling.appliesTo, 'scaling.appliesTo', (v, at) => p.oneOf(v, at, BASES));
    let lastWeek = -1;
    p.array(
      scaling.bands,
      'scaling.bands',
      (band, at) => {
        const b = p.object(band, at, ['fromWeek', 'factor']);
        if (!b) return;
        if (p.integer(b.fromWeek, `${at}.fromWeek`, 0, 45) && (b.fromWeek as number) <= lastWeek)
          problems.push(`${at}.fromWeek: bands must be in increasing order of week`);
        lastWeek = typeof b.fromWeek === 'number' ? b.fromWeek : lastWeek;
        if (typeof b.factor !== 'number' || !(b.factor > 0 && b.factor <= 1))
          problems.push(`${at}.factor: must be a number above 0 and at most 1`);
      },
      1,
    );
    if (Array.isArray(scaling.bands) && (scaling.bands[0] as { fromWeek?: unknown })?.fromWeek !== 0)
      problems.push('scaling.bands[0].fromWeek: the first band must start at week 0');
    p.integer(scaling.birthImminentWeek, 'scaling.birthImminentWeek', 20, 42);
  }
  const pause = p.object(doc.pause, 'pause', ['maxTotal']);
  if (pause) p.duration(pause.maxTotal, 'pause.maxTotal');
  p.ladder(doc.ladder, 'ladder');
  if (doc.alerts !== undefined) {
    const alerts = p.object(doc.alerts, 'alerts', ['resendEvery', 'climbAfterResends']);
    if (alerts) {
      const every = p.object(alerts.resendEvery, 'alerts.resendEvery', ['info', 'high', 'critical']);
      if (every) for (const [severity, d] of Object.entries(every)) p.duration(d, `alerts.resendEvery.${severity}`);
      p.integer(alerts.climbAfterResends, 'alerts.climbAfterResends', 0, 100);
    }
  }
  p.array(doc.waivedBy, 'waivedBy', (v, at) => p.signal(v, at));
  if (doc.closure !== undefined) {
    const closure = p.object(doc.closure, 'closure', ['mootReasons']);
    if (closure) p.array(closure.mootReasons, 'closure.mootReasons', (v, at) => p.oneOf(v, at, CLOSE_REASONS));
  }
  if (doc.birth !== undefined) {
    const birth = p.object(doc.birth, 'birth', ['plausibleFromWeek']);
    if (birth) p.integer(birth.plausibleFromWeek, 'birth.plausibleFromWeek', 0, 42);
  }

  const ids = new Set<string>();
  p.array(
    doc.milestones,
    'milestones',
    (m, at) => {
      const rule = p.object(m, at, [
        'id',
        'title',
        'basis',
        'note',
        'owner',
        'opensOn',
        'metBy',
        'waivedBy',
        'deadline',
        'scaled',
        'legalCap',
        'pausable',
        'maxPause',
        'ladder',
        'anchor',
        'recurrence',
        'pausedByLostContact',
      ]);
      if (!rule) return;
      if (p.string(rule.id, `${at}.id`, /^[a-z][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens')) {
        if (ids.has(rule.id as string)) problems.push(`${at}.id: "${String(rule.id)}" is used twice`);
        ids.add(rule.id as string);
      }
      const title = p.object(rule.title, `${at}.title`, ['da', 'en']);
      if (title) {
        p.string(title.da, `${at}.title.da`);
        p.string(title.en, `${at}.title.en`);
      }
      p.oneOf(rule.basis, `${at}.basis`, BASES);
      if (rule.note !== undefined) p.string(rule.note, `${at}.note`);
      p.oneOf(rule.owner, `${at}.owner`, OWNER_KINDS);
      p.array(rule.opensOn, `${at}.opensOn`, (v, a) => p.signal(v, a), 1);
      p.array(rule.metBy, `${at}.metBy`, (v, a) => p.signal(v, a), 1);
      if (rule.waivedBy !== undefined) p.array(rule.waivedBy, `${at}.waivedBy`, (v, a) => p.signal(v, a));
      const deadline = p.object(rule.deadline, `${at}.deadline`, [
        'duration',
        'calendar',
        'endOfDay',
        'notLaterThanBeforeDueDate',
      ]);
      if (deadline) {
        const calendar = p.oneOf(deadline.calendar, `${at}.deadline.calendar`, CALENDAR_KINDS);
        const d = p.duration(deadline.duration, `${at}.deadline.duration`, true);
        if (d && calendar && calendar !== 'calendar' && !onlyDays(d)) {
          problems.push(`${at}.deadline.duration: a ${calendar} deadline counts whole days (P1D, P6D)`);
        }
        if (deadline.endOfDay !== undefined && typeof deadline.endOfDay !== 'boolean')
          problems.push(`${at}.deadline.endOfDay: must be true or false`);
        if (deadline.notLaterThanBeforeDueDate !== undefined)
          p.days(deadline.notLaterThanBeforeDueDate, `${at}.deadline.notLaterThanBeforeDueDate`);
      }
      if (rule.scaled !== undefined && typeof rule.scaled !== 'boolean')
        problems.push(`${at}.scaled: must be true or false`);
      if (rule.legalCap !== undefined) p.duration(rule.legalCap, `${at}.legalCap`);
      if (typeof rule.pausable !== 'boolean') problems.push(`${at}.pausable: must be true or false`);
      else if (rule.pausable && rule.basis === 'LAW') problems.push(`${at}.pausable: a LAW clock cannot be paused`);
      if (rule.maxPause !== undefined) p.duration(rule.maxPause, `${at}.maxPause`);
      if (rule.pausedByLostContact !== undefined) {
        if (typeof rule.pausedByLostContact !== 'boolean')
          problems.push(`${at}.pausedByLostContact: must be true or false`);
        else if (rule.pausedByLostContact && rule.pausable !== true)
          problems.push(`${at}.pausedByLostContact: only a pausable clock can be paused by lost contact`);
      }
      if (rule.ladder !== undefined) p.ladder(rule.ladder, `${at}.ladder`);
      if (rule.anchor !== undefined) {
        const anchor = p.object(rule.anchor, `${at}.anchor`, ['dueDateMinus', 'unlessEarlier']);
        if (anchor) {
          p.days(anchor.dueDateMinus, `${at}.anchor.dueDateMinus`);
          p.array(anchor.unlessEarlier, `${at}.anchor.unlessEarlier`, (v, a) => p.signal(v, a));
        }
      }
      if (rule.recurrence !== undefined) {
        const recurrence = p.object(rule.recurrence, `${at}.recurrence`, ['cadence', 'stopsAfterBirth']);
        if (recurrence) {
          if (recurrence.stopsAfterBirth !== undefined)
            p.duration(recurrence.stopsAfterBirth, `${at}.recurrence.stopsAfterBirth`, true);
          p.array(
            recurrence.cadence,
            `${at}.recurrence.cadence`,
            (c, a) => {
              const step = p.object(c, a, ['fromWeek', 'every']);
              if (step) {
                p.integer(step.fromWeek, `${a}.fromWeek`, 0, 60);
                p.duration(step.every, `${a}.every`);
              }
            },
            1,
          );
        }
      }
    },
    1,
  );

  return problems.length ? { ok: false, problems } : { ok: true, policy: input as Policy };
}

function onlyDays(d: Duration): boolean {
  return (
    d.years === 0 &&
    d.months === 0 &&
    d.hours === 0 &&
    d.minutes === 0 &&
    d.seconds === 0 &&
    (d.days > 0 || d.weeks > 0)
  );
}

class Checker {
  constructor(private readonly problems: string[]) {}

  object(value: unknown, at: string, allowed: string[]): Record<string, unknown> | null {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      this.problems.push(`${at || '(document)'}: must be an object`);
      return null;
    }
    for (const key of Object.keys(value))
      if (!allowed.includes(key)) this.problems.push(`${at ? `${at}.` : ''}${key}: is not a known field`);
    return value as Record<string, unknown>;
  }

  string(value: unknown, at: string, pattern?: RegExp, hint?: string): boolean {
    if (typeof value !== 'string' || value.length === 0) return this.fail(`${at}: must be a non-empty string`);
    if (pattern && !pattern.test(value)) return this.fail(`${at}: must be ${hint}`);
    return true;
  }

  integer(value: unknown, at: string, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
      return this.fail(`${at}: must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`);
    return true;
  }

  oneOf<T extends string>(value: unknown, at: string, allowed: readonly T[]): T | null {
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      this.problems.push(`${at}: must be one of ${allowed.join(', ')}`);
      return null;
    }
    return value as T;
  }

  array(value: unknown, at: string, each: (item: unknown, at: string) => void, minItems = 0): void {
    if (!Array.isArray(value)) return void this.problems.push(`${at}: must be a list`);
    if (value.length < minItems)
      this.problems.push(`${at}: must have at least ${minItems} item${minItems === 1 ? '' : 's'}`);
    value.forEach((item, i) => each(item, `${at}[${i}]`));
  }

  duration(value: unknown, at: string, allowZero = false): Duration | null {
    const d = typeof value === 'string' ? parseDuration(value) : null;
    if (!d) {
      this.problems.push(`${at}: must be an ISO 8601 duration such as P7D, PT24H or P4M`);
      return null;
    }
    if (!allowZero && Object.values(d).every((n) => n === 0)) {
      this.problems.push(`${at}: must be longer than zero`);
      return null;
    }
    return d;
  }

  /** A duration counted on the calendar of the due date: whole days or weeks only. */
  days(value: unknown, at: string): void {
    const d = this.duration(value, at);
    if (d && !onlyDays(d))
      this.problems.push(`${at}: must be whole days or weeks (P28D, P4W), counted back from the due date`);
  }

  signal(value: unknown, at: string): void {
    if (typeof value !== 'string' || !isSignal(value))
      this.problems.push(`${at}: "${String(value)}" is not a known signal (see libs/pathway/src/policy/signals.ts)`);
  }

  ladder(value: unknown, at: string): void {
    const steps = new Set<string>();
    let breaches = 0;
    this.array(
      value,
      at,
      (s, a) => {
        const step = this.object(s, a, ['step', 'kind', 'level', 'fraction', 'after', 'atLeastAfterDue']) as Partial<
          Record<keyof LadderStepSpec, unknown>
        > | null;
        if (!step) return;
        if (this.string(step.step, `${a}.step`, /^[a-z][a-z0-9-]{0,30}$/, 'lower-case letters, digits and hyphens')) {
          if (steps.has(step.step as string))
            this.problems.push(`${a}.step: "${String(step.step)}" is used twice in this ladder`);
          if (step.step === BIRTH_IMMINENT_STEP)
            this.problems.push(
              `${a}.step: "${BIRTH_IMMINENT_STEP}" is the step the engine adds at the birth-imminent week to a ladder without escalation-1`,
            );
          steps.add(step.step as string);
        }
        const kind = this.oneOf(step.kind, `${a}.kind`, ['warning', 'breach', 'escalation'] as const);
        if (kind === 'breach') {
          breaches++;
          if (step.fraction !== undefined || step.after !== undefined)
            this.problems.push(`${a}: the breach is at the due time; it takes no fraction or after`);
        } else if (kind) {
          if ((step.fraction === undefined) === (step.after === undefined))
            this.problems.push(`${a}: give exactly one of fraction or after`);
          if (
            step.fraction !== undefined &&
            (typeof step.fraction !== 'number' || !(step.fraction > 0 && step.fraction <= 10))
          )
            this.problems.push(`${a}.fraction: must be a number above 0`);
          if (step.after !== undefined) this.duration(step.after, `${a}.after`);
        }
        if (kind === 'escalation' && step.level !== 1 && step.level !== 2)
          this.problems.push(`${a}.level: an escalation has level 1 or 2`);
        if (kind !== 'escalation' && step.level !== undefined)
          this.problems.push(`${a}.level: only escalations have a level`);
        if (step.atLeastAfterDue !== undefined) this.duration(step.atLeastAfterDue, `${a}.atLeastAfterDue`);
      },
      1,
    );
    if (Array.isArray(value) && breaches !== 1) this.problems.push(`${at}: must have exactly one breach step`);
  }

  private fail(problem: string): false {
    this.problems.push(problem);
    return false;
  }
}
