/**
 * Synthetic courses for benchmarks and demos: whole case streams made by driving the real decider
 * (decide, the milestone engine and its timers) along sampled courses on a simulated clock. Pure and
 * deterministic: the same seed gives the same streams; no real personal data (the CPR numbers are
 * made up, valid in form, and reach the events only encrypted).
 */
import type { ImportedEvent } from '@app/persistence';
import {
  SEED_FACILITIES,
  MUNICIPALITIES,
  addDays,
  computeSchedule,
  decide,
  fold,
  gestationalAge,
  initialState,
  isActive,
  isWorkingDay,
  localDate,
  municipalityOrganisation,
  parseCpr,
  pendingTimers,
  policyOf,
  ruleOf,
  startOfLocalDay,
  toLocal,
  type Actor,
  type ActorRole,
  type AssessmentOutcome,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type Cpr,
  type OpenCase,
  type PolicyRegistry,
  type PregnancyEndReason,
  type ReferrerKind,
  type Substance,
  type TreatmentKind,
  shippedPolicyRegistry,
} from '@app/pathway';

export interface SyntheticOptions {
  /** An integer (0 … 2³² − 1): the whole run follows from it. */
  seed: number;
  /** The clock stops here: nothing is recorded later; cases detected shortly before stay open. */
  end: Date;
  /** Detections are spread uniformly over this many years before `end`. */
  years: number;
  /** Encrypts a CPR number (CprCipher.encrypt): kept beside the events (case_identities), never in them. */
  encryptCpr: (cpr: Cpr) => string;
  /** The CPR number's blind index (CprIndex.of), kept with the envelope; none when not given. */
  indexCpr?: (cpr: Cpr) => string;
  /** The policies the cases run under (new cases start under the active one). Default: the shipped policy. */
  policies?: PolicyRegistry;
}

/** One command the decider refused (a course that did not fit the case): skipped, and counted. */
export interface Refusal {
  command: CaseCommand['type'];
  code: string;
}

export interface SyntheticCase {
  streamId: string;
  reference: string;
  events: ImportedEvent[];
  /** The CPR number's envelope, for case_identities: the events say only that a CPR was recorded. */
  encryptedCpr: string;
  /** Its blind index (SyntheticOptions.indexCpr), or null. */
  cprIndex: string | null;
  /** Commands sent to the decider, fire-timer included. */
  commands: number;
  refusals: Refusal[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
const YEAR = 365.25 * DAY;
const TERM_DAYS = 280;
const ENGINE: Actor = { id: 'pathway-engine', role: 'system', organisation: 'pathway:engine' };

/** Crockford base32 without look-alikes (no I, L, O, U), as real case references. */
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The synthetic courses of one run, case by case: `cases` of them (index 0 … cases − 1). Each case
 * has its own random streams derived from (seed, index); the run only keeps the references unique,
 * also against `reservedReferences` (those of cases already stored).
 */
export function* syntheticCourses(
  options: SyntheticOptions & { cases: number; reservedReferences?: Iterable<string> },
): Generator<SyntheticCase> {
  const references = new Set<string>(options.reservedReferences ?? []);
  /** Every woman's CPR number so far: a new woman never gets one already drawn (about 6 % of 2,000 would collide). */
  const cprs = new Set<string>();
  const women: FormerWoman[] = [];
  for (let index = 0; index < options.cases; index++) {
    // A share of the cases is a later pregnancy of a woman whose earlier case was closed.
    const choice = new Random(sfc32(streamSeed(options.seed, index, 3)));
    const comesBack = choice.chance(RETURNING_SHARE);
    const course = new Course(
      index,
      options,
      references,
      cprs,
      comesBack ? (t0) => takeWoman(women, t0, choice) : undefined,
    );
    const played = course.play();
    const closed = played.events.find((e) => e.type === 'CaseClosed');
    if (closed) {
      women.push({ cpr: course.cpr, closedAt: Date.parse((closed.data as { occurredAt: string }).occurredAt) });
      if (women.length > FORMER_WOMEN) women.shift();
    }
    yield played;
  }
}

/** The share of cases that are a woman's later pregnancy, when a woman fits (her earlier case closed, her age). */
const RETURNING_SHARE = 0.08;
/** The women whose last case closed that a later case may choose from: the most recent ones. */
const FORMER_WOMEN = 500;
/** A later pregnancy is detected at least this long after the earlier case was closed. */
const BETWEEN_PREGNANCIES = 120 * DAY;

interface FormerWoman {
  cpr: Cpr;
  closedAt: number;
}

/**
 * A woman for a later pregnancy detected at `t0`: one whose case closed long enough before and who
 * is at most 45 then; taken out of the list (her new case puts her back when it closes). Null: none fits.
 */
function takeWoman(women: FormerWoman[], t0: number, r: Random): Cpr | null {
  const fits = women.flatMap((w, i) =>
    w.closedAt + BETWEEN_PREGNANCIES <= t0 && t0 - Date.parse(w.cpr.birthDate) <= 45.9 * YEAR ? [i] : [],
  );
  if (fits.length === 0) return null;
  const [woman] = women.splice(r.pick(fits), 1);
  return woman.cpr;
}

// ---------------------------------------------------------------------------------------------
// Random numbers: sfc32 seeded through splitmix32, one stream per (seed, case, purpose).

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32: a small fast counter generator; returns floats in [0, 1). */
function sfc32(seed: number): () => number {
  const init = splitmix32(seed);
  let a = init(),
    b = init(),
    c = init(),
    d = init();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4_294_967_296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

function streamSeed(seed: number, index: number, purpose: number): number {
  const mix = splitmix32(
    (Math.imul(seed | 0, 0x27d4eb2d) ^ Math.imul(index + 1, 0x165667b1) ^ Math.imul(purpose, 0x61c88647)) >>> 0,
  );
  return mix();
}

class Random {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }
  pick<T>(values: readonly T[]): T {
    return values[Math.floor(values.length * this.next())];
  }
  weighted<T extends string>(weights: Readonly<Partial<Record<T, number>>>): T {
    const entries = Object.entries(weights) as [T, number][];
    let r = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, w] of entries) if ((r -= w) < 0) return value;
    return entries[entries.length - 1][0];
  }
  /** Log-normal with the given median, clipped to [min, max]. */
  lognormal(median: number, sigma: number, min: number, max: number): number {
    const u = Math.max(this.next(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    return Math.min(max, Math.max(min, median * Math.exp(sigma * z)));
  }
  /** A v4 UUID (version nibble 4, variant 10xx). */
  uuid(): string {
    const word = () =>
      Math.floor(this.next() * 4_294_967_296)
        .toString(16)
        .padStart(8, '0');
    const [a, b, c, d] = [word(), word(), word(), word()];
    const variant = '89ab'[parseInt(c[0], 16) & 3];
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Reference distributions.

/** Rough populations (thousands) by municipality code: where the cases come from. */
const POPULATION: Readonly<Record<string, number>> = {
  101: 660,
  147: 105,
  151: 52,
  153: 36,
  155: 14,
  157: 75,
  159: 70,
  161: 23,
  163: 30,
  165: 28,
  167: 55,
  169: 58,
  173: 57,
  175: 41,
  183: 23,
  185: 43,
  187: 17,
  190: 41,
  201: 26,
  210: 41,
  217: 64,
  219: 52,
  223: 25,
  230: 57,
  240: 44,
  250: 46,
  253: 51,
  259: 62,
  260: 31,
  265: 90,
  269: 23,
  270: 41,
  306: 33,
  316: 73,
  320: 37,
  326: 49,
  329: 35,
  330: 80,
  336: 23,
  340: 30,
  350: 28,
  360: 40,
  370: 84,
  376: 60,
  390: 46,
  400: 39,
  410: 39,
  420: 41,
  430: 52,
  440: 24,
  450: 32,
  461: 207,
  479: 59,
  480: 30,
  482: 12,
  492: 6,
  510: 56,
  530: 27,
  540: 74,
  550: 37,
  561: 116,
  563: 3.5,
  573: 50,
  575: 43,
  580: 58,
  607: 52,
  615: 97,
  621: 95,
  630: 121,
  657: 90,
  661: 59,
  665: 19,
  671: 21,
  706: 43,
  707: 37,
  710: 50,
  727: 23,
  730: 99,
  740: 96,
  741: 3.7,
  746: 64,
  751: 367,
  756: 42,
  760: 56,
  766: 47,
  773: 20,
  779: 46,
  787: 43,
  791: 97,
  810: 36,
  813: 59,
  820: 36,
  825: 1.7,
  840: 31,
  846: 42,
  849: 38,
  851: 222,
  860: 64,
};

const MUNICIPALITY_WEIGHTS: Readonly<Record<string, number>> = Object.fromEntries(
  MUNICIPALITIES.map((m) => [m.code, POPULATION[m.code] ?? 30]),
);

/** Who detects, when a referrer registers the concern. */
const REFERRER_KINDS: Readonly<Partial<Record<ReferrerKind, number>>> = {
  gp: 30,
  midwife: 24,
  hospital: 10,
  substance_treatment: 14,
  shelter: 6,
  crisis_centre: 4,
  health_visitor: 5,
  other: 4,
};
const FIRST_SUBSTANCE: Readonly<Record<Substance, number>> = {
  alcohol: 28,
  cannabis: 22,
  opioids: 15,
  cocaine: 15,
  benzodiazepines: 8,
  amphetamines: 9,
  other: 3,
};
const OUTCOMES: Readonly<Record<AssessmentOutcome, number>> = {
  support: 48,
  investigate: 35,
  acute: 10,
  'no-action': 7,
};

/** How a deadline-bound step is done: before the warning, after it, or after the deadline. */
type Pace = Readonly<Partial<Record<'onTime' | 'warned' | 'late', number>>>;
const PACE: Pace = { onTime: 85, warned: 7, late: 8 };

// ---------------------------------------------------------------------------------------------
// The simulation of one case.

interface Step {
  actor: Actor;
  command: CaseCommand;
}

interface Planned {
  at: number;
  seq: number;
  /** What to send at `at`, read off the case as it is then; null: nothing to do any more. */
  step: (s: OpenCase) => Step | null;
}

const actor = (role: ActorRole, organisation: string): Actor => ({ id: `synthetic:${role}`, role, organisation });

/** The actor acting for an organisation: its role follows from the organisation's kind. */
function actorFor(organisation: string): Actor {
  const kind = organisation.slice(0, organisation.indexOf(':'));
  if (kind === 'municipality' || kind === 'clinic' || kind === 'facility') return actor(kind, organisation);
  return actor('referrer', organisation);
}

const municipality = (s: OpenCase) => actor('municipality', municipalityOrganisation(s.municipality));
const coordinatorOrMunicipality = (s: OpenCase) =>
  s.coordinator ? actor('coordinator', s.coordinator.organisation) : municipality(s);

/** The active instance of a rule, if any (`<rule>-<n>`). */
function activeMilestone(s: OpenCase, rule: string, statuses: readonly string[] = ['open', 'breached', 'paused']) {
  return Object.values(s.milestones).find((m) => m.rule === rule && statuses.includes(m.status));
}

/** A case is not closed over an open investigation (LEGAL_DUTY_OPEN): the municipality concludes it first. */
const concludeOpenInvestigation = (s: OpenCase): Step | null =>
  activeMilestone(s, 'child-welfare-investigation')
    ? { actor: municipality(s), command: { type: 'conclude-investigation', data: {} } }
    : null;

class Course {
  private readonly rng: Random;
  private readonly ids: Random;
  private readonly policies: PolicyRegistry;
  private readonly end: number;
  private state: CaseState = initialState;
  private readonly events: ImportedEvent[] = [];
  private encryptedCpr = '';
  private cprIndex: string | null = null;
  /** Her CPR number: kept in memory only, so that a later case of the run may be her next pregnancy. */
  cpr!: Cpr;
  private readonly queue: Planned[] = [];
  private seq = 0;
  private last = 0;
  private commands = 0;
  private readonly refusals: Refusal[] = [];
  private readonly spent = new Set<string>();
  private readonly correlationId: string;

  constructor(
    private readonly index: number,
    private readonly options: SyntheticOptions,
    private readonly references: Set<string>,
    private readonly cprs: Set<string>,
    /** A woman coming back for a later pregnancy detected at t0 (her CPR number), or null. */
    private readonly returning?: (t0: number) => Cpr | null,
  ) {
    this.rng = new Random(sfc32(streamSeed(options.seed, index, 1)));
    this.ids = new Random(sfc32(streamSeed(options.seed, index, 2)));
    this.policies = options.policies ?? defaultPolicies();
    this.end = options.end.getTime();
    this.correlationId = `synthetic-seed:${options.seed}`;
  }

  play(): SyntheticCase {
    const streamId = this.ids.uuid();
    const reference = this.newReference();
    this.plan(streamId, reference);
    // One clock for both: the next planned command or the next timer, whichever comes first (a
    // timer first at the same instant), until the case is closed or the clock reaches the end.
    while (this.state.status !== 'closed') {
      const timer = this.nextTimer();
      const head = this.queue[0];
      const timerAt = timer?.at ?? Infinity;
      const headAt = head?.at ?? Infinity;
      if (Math.min(timerAt, headAt) > this.end) break;
      if (timer && timerAt <= headAt) {
        this.spent.add(timer.id);
        this.send(
          { actor: ENGINE, command: { type: 'fire-timer', data: { timer: timer.id } } },
          Math.max(timerAt, this.last),
        );
        continue;
      }
      this.queue.shift();
      const step = head.step(this.state as OpenCase);
      if (step) this.send(step, Math.max(head.at, this.last));
    }
    return {
      streamId,
      reference,
      events: this.events,
      encryptedCpr: this.encryptedCpr,
      cprIndex: this.cprIndex,
      commands: this.commands,
      refusals: this.refusals,
    };
  }

  /** The case's earliest pending timer not fired yet (a firing that decides nothing leaves its timer spent). */
  private nextTimer(): { id: string; at: number } | null {
    if (this.state.status !== 'open') return null;
    let due: { id: string; at: number } | null = null;
    for (const t of pendingTimers(this.state, policyOf(this.state, this.policies))) {
      const at = Date.parse(t.fireAt);
      if (!this.spent.has(t.id) && (!due || at < due.at)) due = { id: t.id, at };
    }
    return due;
  }

  private newReference(): string {
    for (;;) {
      const reference = Array.from({ length: 6 }, () => REFERENCE_ALPHABET[Math.floor(this.ids.float() * 32)]).join('');
      if (!this.references.has(reference)) {
        this.references.add(reference);
        return reference;
      }
    }
  }

  /**
   * Closes the case at `at`, or a day later while a legal duty is still open (close-case is refused
   * over one: LEGAL_DUTY_OPEN), at most five times; a retention contract the close itself ends does
   * not count.
   */
  private closeWhenDutiesMet(at: number, step: (s: OpenCase) => Step, tries = 5): void {
    this.at(at, (s) => {
      const open = Object.values(s.milestones).some((m) => {
        if (!isActive(m)) return false;
        const rule = ruleOf(policyOf(s, this.policies), m.rule);
        return rule?.basis === 'LAW' && !rule.metBy.includes('retention-contract-ended');
      });
      if (open && tries > 0) {
        this.closeWhenDutiesMet(at + DAY, step, tries - 1);
        return null;
      }
      return step(s);
    });
  }

  private at(at: number, step: Planned['step']): void {
    const planned = { at, seq: this.seq++, step };
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1].at > at || (this.queue[i - 1].at === at && this.queue[i - 1].seq > planned.seq)))
      i--;
    this.queue.splice(i, 0, planned);
  }

  /** Sends a command at `now`; its events are recorded then. A refusal is counted and skipped. */
  private send({ actor: who, command }: Step, now: number): void {
    this.commands++;
    const decision = decide(this.state, command, { now: new Date(now), actor: who, policies: this.policies });
    if (!decision.ok) {
      this.refusals.push({ command: command.type, code: decision.error.code });
      return;
    }
    if (decision.events.length === 0) return;
    this.state = fold(decision.events, this.state);
    const metadata = {
      actorId: `synthetic:${who.role}`,
      actorRole: who.role,
      organisation: who.organisation,
      correlationId: this.correlationId,
      causationId: this.ids.uuid(),
      idempotencyKey: null,
    };
    const recordedAt = new Date(now);
    for (const e of decision.events) this.events.push({ type: e.type, data: e.data, metadata, recordedAt });
    this.last = now;
    this.answerAlerts(decision.events, now);
  }

  /**
   * Breaches and escalations raise alerts that are re-sent until someone takes them: the owning
   * organisation acknowledges a breach within hours, an escalation (critical, re-sent every 30
   * minutes) within the hour.
   */
  private answerAlerts(events: readonly CaseEvent[], now: number): void {
    for (const e of events) {
      if (e.type !== 'MilestoneBreached' && e.type !== 'MilestoneEscalated') continue;
      const alert = `${e.data.milestone}.${e.data.step}`;
      const owner = e.data.owner;
      const delay =
        e.type === 'MilestoneBreached'
          ? this.rng.lognormal(1.5 * HOUR, 0.9, 10 * MINUTE, 12 * HOUR)
          : this.rng.lognormal(15 * MINUTE, 0.7, 3 * MINUTE, 3 * HOUR);
      this.at(now + delay, (s) =>
        s.alerts[alert]?.status === 'open'
          ? { actor: actorFor(owner), command: { type: 'acknowledge-alert', data: { alert } } }
          : null,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // The course: sampled up front as instants, each command read off the case when its time comes.

  private plan(caseId: string, reference: string): void {
    const r = this.rng;
    const municipalityCode =
      this.index < MUNICIPALITIES.length ? MUNICIPALITIES[this.index].code : r.weighted(MUNICIPALITY_WEIGHTS);
    const region = MUNICIPALITIES.find((m) => m.code === municipalityCode)?.region ?? '1084';
    const clinic = `clinic:${region}`;
    const home = municipalityOrganisation(municipalityCode);

    // Who registers the concern, and how far along she is then.
    const registrar = r.weighted({ referrer: 78, clinic: 12, municipality: 10 });
    const kind: ReferrerKind =
      registrar === 'referrer'
        ? r.weighted(REFERRER_KINDS)
        : registrar === 'clinic'
          ? r.weighted<ReferrerKind>({ self: 40, hospital: 30, midwife: 30 })
          : r.weighted<ReferrerKind>({ self: 40, substance_treatment: 30, health_visitor: 15, other: 15 });
    const lateFinder = kind === 'shelter' || kind === 'crisis_centre' || kind === 'hospital';
    const trimester = r.weighted(
      lateFinder ? { first: 20, second: 40, third: 40 } : { first: 45, second: 40, third: 15 },
    );
    const gaDays = trimester === 'first' ? r.int(42, 97) : trimester === 'second' ? r.int(98, 195) : r.int(196, 264);

    // Detected at an instant spread uniformly over the years before the end, mostly in office hours.
    const start = this.end - this.options.years * YEAR;
    const day = startOfLocalDay(localDate(new Date(r.between(start, this.end)))).getTime();
    const hour = lateFinder || r.chance(0.15) ? r.between(0, 24) : r.between(8, 15.5);
    const t0 = Math.max(start, Math.min(day + hour * HOUR, this.end - r.between(1, 60) * MINUTE));
    const trueDue = addDays(localDate(new Date(t0)), TERM_DAYS - gaDays);
    const dueMs = startOfLocalDay(trueDue).getTime();
    const weekAt = (t: number) => (TERM_DAYS - (dueMs - t) / DAY) / 7;
    // A first-trimester estimate is corrected at the first scan for some.
    const dueCorrection =
      trimester === 'first' && registrar !== 'municipality' && r.chance(0.25) ? r.pick([-1, 1]) * r.int(3, 12) : 0;
    const registeredDue = addDays(trueDue, -dueCorrection);
    let correctedAt = Infinity;
    const dueAt = (t: number) => (t > correctedAt ? trueDue : registeredDue);
    const timely = (rule: string, anchor: number, pace: Pace = PACE, office = true) =>
      this.timely(rule, anchor, dueAt(anchor), pace, office);

    // How the pregnancy ends: early for about 5 %, else a birth around the due date.
    const ends = r.chance(0.05) ? this.pregnancyEnd(gaDays, t0, dueMs) : null;
    const gaBirth = r.chance(0.08)
      ? r.between(32 * 7, 37 * 7)
      : r.chance(0.93)
        ? r.between(37 * 7, 41 * 7 + 3)
        : r.between(41 * 7 + 3, 42 * 7);
    let birthAt = dueMs + (gaBirth - TERM_DAYS) * DAY + r.between(0, 24) * HOUR;
    if (birthAt < t0 + 2 * DAY) birthAt = t0 + r.between(2, 6) * DAY;
    const pregnancyOver = ends ? ends.at : birthAt;

    // Lost contact for some: mostly restored; for a fifth of them never, and the case closes without her.
    const lost =
      r.chance(0.06) && pregnancyOver - t0 > 45 * DAY ? r.between(t0 + 14 * DAY, pregnancyOver - 21 * DAY) : null;
    const neverRestored = lost !== null && r.chance(0.2);
    const restored = lost === null || neverRestored ? null : lost + r.between(3, 25) * DAY;
    const gaveUpAt =
      neverRestored && lost !== null ? Math.min(lost + r.between(21, 45) * DAY, pregnancyOver - DAY) : Infinity;
    const withHer = (t: number) => (lost === null || t < lost || (restored !== null && t >= restored)) && t < gaveUpAt;
    const pregnant = (t: number) => t < pregnancyOver && t < gaveUpAt;

    const office = (t: number) => officeHours(t, r);
    const referrerOrg =
      registrar === 'clinic'
        ? clinic
        : registrar === 'municipality'
          ? home
          : `${kind}:synthetic-${municipalityCode}-${r.int(1, kind === 'gp' ? 12 : 3)}`;
    const registrarActor = actorFor(referrerOrg);
    const gp = `gp:synthetic-${municipalityCode}-${r.int(1, 12)}`;
    const substances = this.substances();
    const clinicOr = (s: OpenCase, other: Actor) => (s.clinic ? actor('clinic', s.clinic) : other);

    // 1. The concern. A CPR number of a woman aged 16–45, only ever encrypted.
    // Drawn for every case, so that a woman coming back leaves the rest of the course as it was.
    let drawn = syntheticCpr(r, t0);
    while (this.cprs.has(drawn.digits)) drawn = syntheticCpr(r, t0);
    const cpr = this.returning?.(t0) ?? drawn;
    this.cprs.add(cpr.digits);
    this.cpr = cpr;
    this.encryptedCpr = this.options.encryptCpr(cpr);
    this.cprIndex = this.options.indexCpr?.(cpr) ?? null;
    this.at(t0, () => ({
      actor: registrarActor,
      command: {
        type: 'register-concern',
        data: {
          caseId,
          reference,
          cprRecorded: true,
          estimatedDueDate: registeredDue,
          municipality: municipalityCode,
          referrer: { kind, name: 'Synthetic' },
          substances,
          note: 'synthetic',
        },
      },
    }));

    // 2. The municipality is notified (by the referrer, or the clinic that registered); its intake
    // acknowledges the hand-off, confirms receipt and assesses within 24 hours (a share late).
    let notifiedAt = t0;
    if (registrar !== 'municipality') {
      notifiedAt = timely('municipality-notification', t0, PACE, !lateFinder);
      this.at(notifiedAt, () => ({
        actor: registrarActor,
        command: { type: 'notify-municipality', data: { byProfessional: true } },
      }));
      this.at(timely('handoff-acceptance', notifiedAt), (s) =>
        this.acknowledgeHandoff(s, 'municipality-notification', home),
      );
    }
    const assessedAt = timely(
      'notification-assessment',
      notifiedAt,
      { onTime: 72, warned: 10, late: 18 },
      r.chance(0.5),
    );
    const outcome = r.weighted(OUTCOMES);
    this.at(assessedAt, (s) => ({
      actor: municipality(s),
      command: { type: 'assess-notification', data: { notificationId: 'notification-1', outcome } },
    }));
    if (registrar !== 'municipality') {
      const receiptAt = r.chance(0.6)
        ? assessedAt + r.between(1, 10) * MINUTE
        : timely('notification-receipt', notifiedAt, { onTime: 93, warned: 3, late: 4 });
      this.at(Math.max(receiptAt, notifiedAt + MINUTE), (s) => ({
        actor: municipality(s),
        command: { type: 'confirm-notification-receipt', data: { notificationId: 'notification-1' } },
      }));
    }

    // 3. A coordinator: the municipality's (or the clinic's) named person.
    const referred = registrar !== 'clinic' && r.chance(0.85);
    const coordinatorAt = Math.max(
      timely('coordinator-assignment', t0, { onTime: 80, warned: 8, late: 12 }),
      notifiedAt + r.between(5, 120) * MINUTE,
    );
    const coordinatorOrg = (referred || registrar === 'clinic') && r.chance(0.2) ? clinic : home;
    this.at(coordinatorAt, (s) => ({
      actor: municipality(s),
      command: {
        type: 'assign-coordinator',
        data: {
          coordinator: { id: 'synthetic:coordinator', name: 'Synthetic coordinator', organisation: coordinatorOrg },
        },
      },
    }));

    // 4. The clinic: referral (about 85 %), hand-off acknowledged, first visit, visits every 4–6 weeks.
    let firstVisit: number | null = null;
    if (referred) {
      const referredAt = timely('clinic-referral', t0, PACE, !lateFinder);
      this.at(referredAt, (s) => ({
        actor: registrar === 'municipality' ? municipality(s) : registrarActor,
        command: { type: 'refer-to-clinic', data: {} },
      }));
      this.at(timely('handoff-acceptance', referredAt, { onTime: 88, warned: 6, late: 6 }), (s) =>
        this.acknowledgeHandoff(s, 'clinic-referral', clinic),
      );
      firstVisit = timely('clinic-first-visit', referredAt, { onTime: 82, warned: 8, late: 10 });
    } else if (registrar === 'clinic') {
      firstVisit = office(t0 + r.between(0.5, 6) * DAY);
    } else {
      // Not referred (she declines the clinic, or her own midwife follows her): the coordinator
      // waives the referral (a referrer may not waive its own milestone).
      this.at(coordinatorAt + r.between(5, 600) * MINUTE, (s) =>
        this.waive(s, 'clinic-referral', 'she declines the family outpatient clinic', 'coordinator'),
      );
    }
    if (firstVisit !== null && pregnant(firstVisit)) {
      let visit = firstVisit;
      this.at(visit, (s) =>
        s.clinic ? { actor: actor('clinic', s.clinic), command: { type: 'record-clinic-visit', data: {} } } : null,
      );
      if (dueCorrection !== 0) {
        correctedAt = visit + r.between(5, 40) * MINUTE;
        this.at(correctedAt, (s) => ({
          actor: clinicOr(s, municipality(s)),
          command: {
            type: 'update-due-date',
            data: { estimatedDueDate: trueDue, note: 'corrected by ultrasound scan' },
          },
        }));
      }
      for (;;) {
        visit = office(visit + r.between(24, 45) * DAY);
        if (!pregnant(visit) || visit >= dueMs - 14 * DAY) break;
        if (withHer(visit))
          this.at(visit, (s) =>
            s.clinic ? { actor: actor('clinic', s.clinic), command: { type: 'record-clinic-visit', data: {} } } : null,
          );
      }
    }

    // 5. Network meetings on the policy's cadence (every 28 days, 14 from week 28) while she is pregnant
    // (the one due after the birth is planned with the birth). They are held towards the end of
    // their interval, not at random within it.
    let meeting = timely('network-meeting', coordinatorAt, { onTime: 85, warned: 7, late: 8 });
    while (pregnant(meeting)) {
      if (!withHer(meeting)) {
        if (restored === null) break;
        meeting = office(Math.max(meeting, restored + r.between(1, 7) * DAY));
        continue;
      }
      this.at(meeting, (s) => this.networkMeeting(s));
      meeting = this.timely(
        'network-meeting',
        meeting,
        dueAt(meeting),
        { onTime: 92, warned: 4, late: 4 },
        true,
        this.cadence(dueAt(meeting), meeting),
        0.5,
      );
    }

    // 6. Treatment, requested for about 55 %: started mostly within the scaled 7 days, some late,
    // a few beyond the legal 14; some decline it (the milestone is waived); a few relapse.
    if (r.chance(outcome === 'no-action' ? 0.2 : 0.6)) {
      const requestedAt = office(assessedAt + r.between(1, 14) * DAY);
      if (pregnant(requestedAt) && withHer(requestedAt)) {
        const treatment: TreatmentKind = r.chance(0.15)
          ? 'dual-diagnosis'
          : substances[0] === 'alcohol'
            ? 'alcohol'
            : 'drugs';
        const requester = r.weighted({ clinic: 40, coordinator: 30, municipality: 30 });
        this.at(requestedAt, (s) => ({
          actor:
            requester === 'clinic'
              ? clinicOr(s, municipality(s))
              : requester === 'coordinator'
                ? coordinatorOrMunicipality(s)
                : municipality(s),
          command: { type: 'request-treatment', data: { kind: treatment } },
        }));
        if (r.chance(0.05)) {
          this.at(requestedAt + r.between(1, 5) * DAY, (s) =>
            this.waive(s, 'treatment-start', 'she declines treatment', 'owner'),
          );
        } else {
          const startedAt = timely('treatment-start', requestedAt, { onTime: 68, warned: 12, late: 20 });
          this.at(startedAt, (s) => ({ actor: municipality(s), command: { type: 'start-treatment', data: {} } }));
          const again = office(startedAt + r.between(30, 90) * DAY);
          if (r.chance(0.08) && pregnant(again) && withHer(again)) {
            this.at(again, (s) => ({
              actor: coordinatorOrMunicipality(s),
              command: { type: 'request-treatment', data: { kind: treatment, note: 'relapse' } },
            }));
            this.at(timely('treatment-start', again), (s) => ({
              actor: municipality(s),
              command: { type: 'start-treatment', data: {} },
            }));
          }
        }
      }
    }

    // 7. The child-welfare investigation: four months, and no later than 28 days before the due date.
    if (outcome === 'investigate') {
      this.at(timely('child-welfare-investigation', assessedAt, { onTime: 80, warned: 8, late: 12 }), (s) => ({
        actor: municipality(s),
        command: { type: 'conclude-investigation', data: {} },
      }));
    }

    // 8. Residential treatment, requested for about 9 %: decided, contract offered, consent, admission.
    let dischargeAt: number | null = null;
    const residentialOdds =
      (substances.includes('opioids') ? 0.22 : 0.1) + (kind === 'shelter' || kind === 'crisis_centre' ? 0.1 : 0);
    const placementAt = office(assessedAt + r.between(7, 40) * DAY);
    if (
      outcome !== 'no-action' &&
      r.chance(residentialOdds) &&
      weekAt(placementAt) < 35 &&
      pregnant(placementAt + 10 * DAY) &&
      withHer(placementAt)
    ) {
      this.at(placementAt, (s) => ({
        actor: coordinatorOrMunicipality(s),
        command: { type: 'request-residential-placement', data: {} },
      }));
      const decidedAt = timely('residential-decision', placementAt, { onTime: 80, warned: 8, late: 12 });
      if (r.chance(0.62)) {
        const facility = r.chance(0.7) ? SEED_FACILITIES[2].id : SEED_FACILITIES[r.chance(0.7) ? 0 : 1].id;
        this.at(decidedAt, (s) => ({
          actor: municipality(s),
          command: { type: 'decide-residential-placement', data: { decision: 'granted', facility } },
        }));
        // The retention contract must be offered with the decision; she signs it only late in pregnancy.
        const signed = r.chance((dueMs - decidedAt) / DAY / 7 > 12 ? 0.1 : 0.45);
        this.at(timely('retention-contract-offer', decidedAt, { onTime: 90, late: 10 }, false), (s) => ({
          actor: municipality(s),
          command: { type: 'offer-retention-contract', data: { outcome: signed ? 'signed' : 'declined' } },
        }));
        this.at(timely('handoff-acceptance', decidedAt, { onTime: 88, warned: 6, late: 6 }), (s) =>
          this.acknowledgeHandoff(s, 'residential-placement', facility),
        );
        if (r.chance(0.9)) {
          const consentAt = decidedAt + r.between(0.02, 3) * DAY;
          this.at(consentAt, (s) => ({
            actor: coordinatorOrMunicipality(s),
            command: { type: 'record-consent', data: { scope: 'residential', status: 'given' } },
          }));
          const admittedAt = timely('residential-admission', consentAt, { onTime: 80, warned: 8, late: 12 });
          if (r.chance(0.07)) {
            this.at(consentAt + r.between(0.1, 0.9) * (admittedAt - consentAt), (s) => ({
              actor: coordinatorOrMunicipality(s),
              command: {
                type: 'record-consent',
                data: { scope: 'residential', status: 'withdrawn', note: 'she changed her mind' },
              },
            }));
          } else {
            this.at(admittedAt, () => ({
              actor: actor('facility', facility),
              command: { type: 'admit-to-residential', data: {} },
            }));
            // She stays until some weeks after the birth (course 1: about six); some leave early.
            dischargeAt = r.chance(0.15)
              ? admittedAt + r.between(14, 60) * DAY
              : pregnancyOver + r.between(14, 56) * DAY;
            if (dischargeAt < pregnancyOver + 2 * DAY && dischargeAt > pregnancyOver - 2 * DAY)
              dischargeAt = pregnancyOver + r.between(2, 5) * DAY;
            dischargeAt = Math.min(Math.max(dischargeAt, admittedAt + DAY), gaveUpAt - HOUR);
            // Retention (she signed the contract) for some, while admitted and pregnant.
            const episodeAt = admittedAt + r.between(7, 40) * DAY;
            if (signed && r.chance(0.3) && episodeAt < Math.min(pregnancyOver, dischargeAt) - DAY) {
              this.at(episodeAt, () => ({
                actor: actor('facility', facility),
                command: { type: 'start-retention-episode', data: {} },
              }));
              const episodeEnd = episodeAt + (r.chance(0.9) ? r.between(2, 18) : r.between(21.5, 25)) * DAY;
              if (episodeEnd < Math.min(pregnancyOver, dischargeAt))
                this.at(episodeEnd, (s) =>
                  s.retentionEpisode
                    ? { actor: actor('facility', facility), command: { type: 'end-retention-episode', data: {} } }
                    : null,
                );
            }
            this.at(dischargeAt, (s) => {
              if (!s.admission) return null;
              const who = actor('facility', s.admission.facility);
              return s.retentionEpisode
                ? { actor: who, command: { type: 'end-retention-episode', data: {} } }
                : { actor: who, command: { type: 'discharge-from-residential', data: {} } };
            });
            this.at(dischargeAt + r.between(1, 30) * MINUTE, (s) =>
              s.admission
                ? {
                    actor: actor('facility', s.admission.facility),
                    command: { type: 'discharge-from-residential', data: {} },
                  }
                : null,
            );
          }
        }
      } else {
        this.at(decidedAt, (s) => ({
          actor: municipality(s),
          command: {
            type: 'decide-residential-placement',
            data: { decision: 'refused', note: r.pick(['she declined', 'intensified outpatient care instead']) },
          },
        }));
      }
    }

    // 9. A move to another municipality (about 3 %): the new one acknowledges and acts from then on.
    const moves = r.chance(0.035);
    const movedAt = office(assessedAt + r.between(7, 7 + Math.max(1, (pregnancyOver - assessedAt) / DAY - 30)) * DAY);
    if (moves && pregnant(movedAt + 14 * DAY) && withHer(movedAt)) {
      const sameRegion = MUNICIPALITIES.filter((m) => m.region === region && m.code !== municipalityCode);
      const to = (
        r.chance(0.6) && sameRegion.length > 0
          ? r.pick(sameRegion)
          : r.pick(MUNICIPALITIES.filter((m) => m.code !== municipalityCode))
      ).code;
      this.at(movedAt, (s) => ({
        actor: municipality(s),
        command: { type: 'transfer-municipality', data: { toMunicipality: to, note: 'she moved' } },
      }));
      this.at(timely('move-handover', movedAt), (s) =>
        this.acknowledgeHandoff(s, 'municipality-transfer', municipalityOrganisation(to)),
      );
    }

    // 10. Lost contact: the network meeting waits (paused) until she is back.
    if (lost !== null) {
      this.at(lost, (s) => ({
        actor: coordinatorOrMunicipality(s),
        command: { type: 'record-lost-contact', data: {} },
      }));
      this.at(lost + r.between(5, 60) * MINUTE, (s) => {
        const m = activeMilestone(s, 'network-meeting', ['open']);
        return m && s.coordinator
          ? {
              actor: actor('coordinator', s.coordinator.organisation),
              command: { type: 'pause-milestone', data: { milestone: m.id, reason: 'woman unreachable' } },
            }
          : null;
      });
      if (restored !== null) {
        this.at(restored, (s) => ({
          actor: coordinatorOrMunicipality(s),
          command: { type: 'record-contact-restored', data: {} },
        }));
        this.at(restored + r.between(5, 60) * MINUTE, (s) => {
          const m = activeMilestone(s, 'network-meeting', ['paused']);
          return m && s.coordinator
            ? {
                actor: actor('coordinator', s.coordinator.organisation),
                command: { type: 'resume-milestone', data: { milestone: m.id } },
              }
            : null;
        });
      }
    }
    if (gaveUpAt < Infinity) {
      this.at(gaveUpAt - HOUR, concludeOpenInvestigation);
      this.closeWhenDutiesMet(gaveUpAt, (s) => ({
        actor: municipality(s),
        command: { type: 'close-case', data: { reason: 'declined-help', note: 'no contact' } },
      }));
      return;
    }

    // 11. The pregnancy ends early for some: miscarriage, termination, stillbirth.
    if (ends) {
      const recordedEnd = ends.at + r.between(1, 48) * HOUR;
      this.at(recordedEnd, (s) => ({
        actor: clinicOr(s, coordinatorOrMunicipality(s)),
        command: {
          type: 'record-pregnancy-ended',
          data: { reason: ends.reason, occurredAt: new Date(ends.at).toISOString() },
        },
      }));
      this.at(recordedEnd + r.between(1, 72) * HOUR, (s) =>
        this.waive(s, 'network-meeting', 'the pregnancy has ended', 'coordinator'),
      );
      let closeAt = ends.at + r.between(14, 60) * DAY;
      if (r.chance(0.7)) {
        const checkAt = office(ends.at + r.between(14, 42) * DAY);
        this.at(checkAt, (s) => ({
          actor: clinicOr(s, actor('referrer', gp)),
          command: { type: 'record-postpartum-check', data: {} },
        }));
        closeAt = Math.max(closeAt, checkAt + r.between(1, 10) * DAY);
      }
      if (dischargeAt !== null) closeAt = Math.max(closeAt, dischargeAt + r.between(1, 7) * DAY);
      this.at(office(closeAt), (s) => ({
        actor: municipality(s),
        command: { type: 'close-case', data: { reason: 'pregnancy-ended' } },
      }));
      return;
    }

    // 12. The post-birth plan, due 21 days before the due date (or a week after an earlier birth).
    const planOpens = Math.max(startOfLocalDay(addDays(dueAt(birthAt), -28)).getTime(), t0);
    let planAt = r.chance(0.05)
      ? office(planOpens - r.between(2, 14) * DAY)
      : timely('post-birth-plan', planOpens, { onTime: 85, warned: 5, late: 10 });
    if (planAt <= t0 || planAt >= birthAt)
      planAt =
        planAt <= t0
          ? t0 + r.between(1, 3) * DAY
          : timely('post-birth-plan', birthAt, { onTime: 80, warned: 8, late: 12 });
    const planner = r.weighted({ municipality: 50, coordinator: 35, clinic: 15 });
    this.at(planAt, (s) => ({
      actor:
        planner === 'clinic'
          ? clinicOr(s, municipality(s))
          : planner === 'coordinator'
            ? coordinatorOrMunicipality(s)
            : municipality(s),
      command: { type: 'record-post-birth-plan', data: {} },
    }));

    // 13. The birth, recorded by the clinic (or the municipality), for half of them some hours later.
    const recordedBirth = birthAt + (r.chance(0.5) ? r.between(1, 12) * HOUR : r.between(1, 30) * MINUTE);
    this.at(recordedBirth, (s) => ({
      actor: clinicOr(s, municipality(s)),
      command: { type: 'record-birth', data: { occurredAt: new Date(birthAt).toISOString() } },
    }));

    // 14. After the birth: one more network meeting for most, then the recurring meeting is waived;
    // the health visitor comes, the postpartum check is done.
    let networkDone = recordedBirth + r.between(1, 48) * HOUR;
    if (r.chance(0.7)) {
      const postBirthMeeting = office(Math.max(meeting, recordedBirth + r.between(2, 24) * HOUR));
      this.at(postBirthMeeting, (s) => this.networkMeeting(s));
      networkDone = postBirthMeeting + r.between(0.1, 2) * DAY;
    }
    this.at(networkDone, (s) =>
      this.waive(s, 'network-meeting', 'post-birth plan in place: the family department follows up', 'coordinator'),
    );
    const visitAt = timely('health-visitor-visit', birthAt, { onTime: 85, warned: 5, late: 10 });
    this.at(Math.max(visitAt, recordedBirth + HOUR), (s) => ({
      actor: municipality(s),
      command: { type: 'record-health-visitor-visit', data: {} },
    }));
    let closeAt = visitAt + r.between(14, 42) * DAY;
    if (r.chance(0.95)) {
      const checkAt = timely('postpartum-check', birthAt, { onTime: 88, warned: 5, late: 7 });
      const byGp = !referred && registrar !== 'clinic';
      this.at(Math.max(checkAt, recordedBirth + HOUR), (s) => ({
        actor: byGp ? actor('referrer', gp) : clinicOr(s, actor('referrer', gp)),
        command: { type: 'record-postpartum-check', data: {} },
      }));
      closeAt = Math.max(closeAt, checkAt + r.between(1, 21) * DAY);
    }
    if (dischargeAt !== null) closeAt = Math.max(closeAt, dischargeAt + r.between(1, 10) * DAY);

    // 15. Closed when the course is done.
    const closer = r.chance(0.7) ? 'municipality' : 'coordinator';
    this.at(office(closeAt) - HOUR, concludeOpenInvestigation);
    this.closeWhenDutiesMet(office(closeAt), (s) => ({
      actor: closer === 'coordinator' ? coordinatorOrMunicipality(s) : municipality(s),
      command: { type: 'close-case', data: { reason: 'completed' } },
    }));
  }

  /**
   * When a deadline-bound step is done: mostly before the warning (75 % of the allowed time), some
   * after the warning, some after the deadline (breached, escalated if later still). `rule` is the
   * policy's milestone rule; its deadline is computed as the engine computes it.
   */
  private timely(
    rule: string,
    anchor: number,
    estimatedDueDate: string,
    pace: Pace = PACE,
    office = true,
    durationOverride?: string,
    earliest = 0.05,
  ): number {
    const r = this.rng;
    const spec = ruleOf(this.policies.active, rule);
    const dueAt = spec
      ? Date.parse(
          computeSchedule({
            policy: this.policies.active,
            rule: spec,
            anchor: { signal: 'synthetic', at: new Date(anchor).toISOString() },
            estimatedDueDate,
            pauses: [],
            now: new Date(anchor),
            durationOverride,
            // Only the due time is used here, which the birth-imminent moment does not move.
            birthImminentAt: null,
          }).dueAt,
        )
      : anchor + DAY;
    const allowed = Math.max(dueAt - anchor, 30 * MINUTE);
    const how = r.weighted(pace);
    const [from, to] = how === 'onTime' ? [earliest, 0.72] : how === 'warned' ? [0.77, 0.97] : [1.05, 2.3];
    const t = anchor + r.between(from, to) * allowed;
    if (!office) return t;
    const snapped = officeHours(t, r);
    return snapped <= anchor + (how === 'late' ? 2.5 : to) * allowed ? snapped : t;
  }

  /** The interval of the recurring network meeting at `at`: the cadence of the gestational week then. */
  private cadence(estimatedDueDate: string, at: number): string | undefined {
    const rule = ruleOf(this.policies.active, 'network-meeting');
    const week = gestationalAge(estimatedDueDate, new Date(at)).weeks;
    let every = rule?.deadline.duration;
    for (const step of rule?.recurrence?.cadence ?? []) if (week >= step.fromWeek) every = step.every;
    return every;
  }

  private networkMeeting(s: OpenCase): Step {
    const participants = [
      ...new Set([
        s.coordinator?.organisation ?? municipalityOrganisation(s.municipality),
        municipalityOrganisation(s.municipality),
        ...(s.clinic ? [s.clinic] : []),
      ]),
    ];
    return { actor: coordinatorOrMunicipality(s), command: { type: 'record-network-meeting', data: { participants } } };
  }

  private pregnancyEnd(gaDays: number, t0: number, dueMs: number): { reason: PregnancyEndReason; at: number } {
    const r = this.rng;
    let reason = r.weighted<PregnancyEndReason>({ miscarriage: 55, termination: 35, stillbirth: 10 });
    const week0 = gaDays / 7;
    if (reason === 'termination' && week0 > 17) reason = 'miscarriage';
    if (reason === 'miscarriage' && week0 > 20) reason = 'stillbirth';
    const [fromWeek, toWeek] =
      reason === 'termination' ? [week0, 18] : reason === 'miscarriage' ? [week0, 21] : [Math.max(week0, 22), 40];
    const week = r.between(fromWeek, Math.max(fromWeek, toWeek));
    const at = dueMs - (TERM_DAYS - week * 7) * DAY;
    return { reason, at: Math.max(at, t0 + r.between(2, 10) * DAY) };
  }

  private substances(): Substance[] {
    const first = this.rng.weighted(FIRST_SUBSTANCE);
    if (!this.rng.chance(0.35)) return [first];
    const second = this.rng.weighted(
      first === 'opioids' ? { benzodiazepines: 40, cannabis: 25, cocaine: 20, alcohol: 15 } : FIRST_SUBSTANCE,
    );
    return second === first ? [first] : [first, second];
  }

  private acknowledgeHandoff(s: OpenCase, kind: string, to: string): Step | null {
    const handoff = s.handoffs.find((h) => h.kind === kind && h.to === to && !h.acknowledgedAt);
    return handoff
      ? { actor: actorFor(to), command: { type: 'acknowledge-handoff', data: { handoffId: handoff.id } } }
      : null;
  }

  /**
   * Waives the active instance of a rule: by its owner or by the case's coordinator, who may waive
   * any milestone. A referrer may not waive (not even its own milestone), and a municipality the
   * case has moved from no longer acts on it: the coordinator does.
   */
  private waive(s: OpenCase, rule: string, reason: string, by: 'owner' | 'coordinator'): Step | null {
    const m = activeMilestone(s, rule);
    if (!m) return null;
    const owner = actorFor(m.owner);
    const ownerActs =
      owner.role !== 'referrer' &&
      !(owner.role === 'municipality' && owner.organisation !== municipalityOrganisation(s.municipality));
    const who =
      (by === 'owner' && ownerActs) || !s.coordinator ? owner : actor('coordinator', s.coordinator.organisation);
    return { actor: who, command: { type: 'waive-milestone', data: { milestone: m.id, reason } } };
  }
}

let shippedPolicies: PolicyRegistry | null = null;
function defaultPolicies(): PolicyRegistry {
  return (shippedPolicies ??= shippedPolicyRegistry());
}

/** `t` if it falls in office hours (08:00–15:30 on a Danish working day), else a time early on the next working day. */
function officeHours(t: number, r: Random): number {
  const local = toLocal(new Date(t));
  const hour = local.hour + local.minute / 60;
  let date = localDate(new Date(t));
  if (isWorkingDay(date) && hour >= 8 && hour < 15.5) return t;
  if (!(isWorkingDay(date) && hour < 8)) {
    do date = addDays(date, 1);
    while (!isWorkingDay(date));
  }
  return startOfLocalDay(date).getTime() + r.between(8, 10.5) * HOUR;
}

/**
 * A CPR number of a woman aged 16–45 at `at`: a real birth date, the seventh digit consistent with
 * the century, an even last digit (women). Made up: it is not checked against any register.
 */
function syntheticCpr(r: Random, at: number): Cpr {
  const age = r.between(16, 45.99);
  const birth = new Date(at - age * YEAR);
  const year = birth.getUTCFullYear();
  const dd = String(birth.getUTCDate()).padStart(2, '0');
  const mm = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const yy = String(year % 100).padStart(2, '0');
  // 1900–1999: 0–3 (and 4 or 9 from 1937); 2000–2036: 4 or 9; 2000–2057: 5–8.
  const centuryDigit = year >= 2000 ? r.int(4, 9) : year >= 1937 ? [0, 1, 2, 3, 4, 9][r.int(0, 5)] : r.int(0, 3);
  const serial = `${r.int(0, 99)}`.padStart(2, '0') + String(2 * r.int(0, 4));
  const cpr = parseCpr(`${dd}${mm}${yy}${centuryDigit}${serial}`);
  if (!cpr) throw new Error('generated an invalid CPR number');
  return cpr;
}
