import { randomUUID } from 'node:crypto';
import { type Actor, shippedPolicyRegistry } from '@app/pathway';
import { EventStore, allProjections, createDataSource, rebuildProjections } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { DecidedCourse } from '@test/support/decided-course';
import type { DataSource } from 'typeorm';
import { AnnualReports } from './annual.report';
import { CapacityReports } from './capacity.report';
import { HandlingTimesReports, type HandlingTimeRow } from './handling-times.report';

const POLICIES = shippedPolicyRegistry();
const PROJECTIONS = allProjections(POLICIES);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const gp: Actor = { id: 'dr-hansen', role: 'referrer', organisation: 'gp:hansen' };
const municipality = (code: string): Actor => ({
  id: `caseworker-${code}`,
  role: 'municipality',
  organisation: `municipality:${code}`,
});
const clinic = (region: string): Actor => ({
  id: `midwife-${region}`,
  role: 'clinic',
  organisation: `clinic:${region}`,
});

/** Monday 3 March 2025, 10:00 in Copenhagen. */
const T0 = Date.parse('2025-03-03T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);

/**
 * Four courses whose figures are worked out by hand (notification assessment: the law's 24 hours):
 *  A, Aalborg (851, Nordjylland): assessed after 10 h; treatment requested; clinic first visit 5 days
 *     after the referral, 2 of them paused (3 days counted); post-birth plan on day 6.
 *  B, Aalborg: assessed after 30 h (breached); a residential request left undecided.
 *  C, Aarhus (751, Midtjylland): assessed after 4 h; treatment requested on 31 Dec 2024 at 23:30 UTC,
 *     which is 00:30 on 1 January 2025 in Copenhagen.
 *  D, København (101, Hovedstaden) then Aarhus: assessed in København after 2 h and treatment
 *     requested there; moves to Aarhus, which starts the treatment 2 days after detection and grants a
 *     residential placement (not yet admitted).
 *  E, Odense (461, Syddanmark): residential placement granted at facility A on day 1, admitted on day 2
 *     under a signed retention contract.
 */
describe('reports over courses with hand-computed figures', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: EventStore;
  let handling: HandlingTimesReports;
  const period = { from: new Date('2024-12-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') };

  const register = (course: DecidedCourse, when: Date, code: string) =>
    course.run(when, gp, {
      type: 'register-concern',
      data: {
        caseId: course.caseId,
        reference: course.caseId.slice(0, 6).toUpperCase(),
        cprRecorded: false,
        estimatedDueDate: '2025-09-15',
        municipality: code,
        referrer: { kind: 'gp' },
        substances: ['opioids'],
      },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    store = new EventStore(ds, PROJECTIONS);
    handling = new HandlingTimesReports(ds);
    const course = () => new DecidedCourse(store, POLICIES, randomUUID());

    const a = course();
    await register(a, at(0), '851');
    await a.run(at(HOUR), gp, { type: 'notify-municipality', data: {} });
    await a.run(at(HOUR), gp, { type: 'refer-to-clinic', data: {} });
    await a.run(at(11 * HOUR), municipality('851'), { type: 'assess-notification', data: { outcome: 'support' } });
    await a.run(at(12 * HOUR), municipality('851'), { type: 'request-treatment', data: { kind: 'drugs' } });
    await a.run(at(DAY + HOUR), clinic('1081'), {
      type: 'pause-milestone',
      data: { milestone: 'clinic-first-visit-1', reason: 'in hospital' },
    });
    await a.run(at(3 * DAY + HOUR), clinic('1081'), {
      type: 'resume-milestone',
      data: { milestone: 'clinic-first-visit-1' },
    });
    await a.run(at(5 * DAY + HOUR), clinic('1081'), { type: 'record-clinic-visit', data: {} });
    // Months before its clock starts (28 days before the due date of 15 September).
    await a.run(at(6 * DAY), municipality('851'), { type: 'record-post-birth-plan', data: {} });

    const b = course();
    await register(b, at(0), '851');
    await b.run(at(HOUR), gp, { type: 'notify-municipality', data: {} });
    await b.run(at(31 * HOUR), municipality('851'), { type: 'assess-notification', data: { outcome: 'investigate' } });
    await b.run(at(2 * DAY), municipality('851'), { type: 'request-residential-placement', data: {} });

    const c = course();
    await register(c, new Date('2024-12-31T19:00:00Z'), '751');
    await c.run('2024-12-31T19:30:00Z', gp, { type: 'notify-municipality', data: {} });
    await c.run('2024-12-31T23:30:00Z', municipality('751'), {
      type: 'assess-notification',
      data: { outcome: 'support' },
    });
    await c.run('2024-12-31T23:30:00Z', municipality('751'), { type: 'request-treatment', data: { kind: 'alcohol' } });

    const d = course();
    await register(d, at(0), '101');
    await d.run(at(HOUR), gp, { type: 'notify-municipality', data: {} });
    await d.run(at(3 * HOUR), municipality('101'), { type: 'assess-notification', data: { outcome: 'support' } });
    await d.run(at(4 * HOUR), municipality('101'), { type: 'request-treatment', data: { kind: 'drugs' } });
    await d.run(at(DAY), municipality('101'), { type: 'transfer-municipality', data: { toMunicipality: '751' } });
    await d.run(at(2 * DAY), municipality('751'), { type: 'start-treatment', data: {} });
    await d.run(at(3 * DAY), municipality('751'), { type: 'request-residential-placement', data: {} });
    await d.run(at(4 * DAY), municipality('751'), {
      type: 'decide-residential-placement',
      data: { decision: 'granted', facility: 'facility:kastaniegaarden' },
    });

    const e = course();
    await register(e, at(0), '461');
    await e.run(at(HOUR), municipality('461'), { type: 'request-residential-placement', data: {} });
    await e.run(at(DAY), municipality('461'), {
      type: 'decide-residential-placement',
      data: { decision: 'granted', facility: 'facility:holmegaardshuset' },
    });
    await e.run(at(DAY), municipality('461'), {
      type: 'record-consent',
      data: { scope: 'residential', status: 'given' },
    });
    await e.run(at(DAY), municipality('461'), { type: 'offer-retention-contract', data: { outcome: 'signed' } });
    await e.run(
      at(2 * DAY),
      { id: 'staff-a', role: 'facility', organisation: 'facility:holmegaardshuset' },
      { type: 'admit-to-residential', data: {} },
    );
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const row = (rows: HandlingTimeRow[], measure: string, group?: string) =>
    rows.find((r) => r.measure === measure && (group === undefined || r.group?.id === group));

  it('gives count, median, p90, max and breach rate per milestone, pauses excluded', async () => {
    const { rows } = await handling.report({ ...period, groupBy: 'milestone' });
    // 2, 4, 10 and 30 hours: median (4 + 10) / 2 = 7 h; p90 at rank 2.7: 10 + 0.7 × 20 = 24 h.
    expect(row(rows, 'notification-assessment')).toEqual({
      measure: 'notification-assessment',
      kind: 'milestone',
      group: null,
      count: 4,
      medianMs: 7 * HOUR,
      p90Ms: 24 * HOUR,
      maxMs: 30 * HOUR,
      breached: 1,
      breachRate: 0.25,
    });
    // Opened at the referral, met 5 days later, 2 of them paused.
    expect(row(rows, 'clinic-first-visit')).toMatchObject({
      count: 1,
      medianMs: 3 * DAY,
      maxMs: 3 * DAY,
      breached: 0,
      breachRate: 0,
    });
    // A's plan came before its clock started: 0, not the 6 days since the milestone opened.
    expect(row(rows, 'post-birth-plan')).toMatchObject({ count: 1, medianMs: 0, breached: 0 });
    expect(row(rows, 'detection-to-first-clinic-visit')).toMatchObject({
      kind: 'interval',
      count: 1,
      medianMs: 5 * DAY + HOUR,
      breached: null,
      breachRate: null,
    });
    expect(row(rows, 'detection-to-treatment-start')).toMatchObject({ count: 1, medianMs: 2 * DAY });
    // E: requested at 1 h, admitted on day 2.
    expect(row(rows, 'residential-request-to-admission')).toMatchObject({ count: 1, medianMs: 2 * DAY - HOUR });
    // Assessment intervals run from detection: D 3 h, C 4.5 h, A 11 h, B 31 h: median (4.5 + 11) / 2 = 7.75 h.
    expect(row(rows, 'detection-to-municipality-assessment')).toMatchObject({
      count: 4,
      medianMs: 7.75 * HOUR,
      maxMs: 31 * HOUR,
    });
  });

  it('groups by the municipality and region responsible when the measure finished: the move counts where each step was done', async () => {
    const byMunicipality = (
      await handling.report({ ...period, groupBy: 'municipality', measure: 'notification-assessment' })
    ).rows;
    expect(byMunicipality.map((r) => [r.group?.id, r.count, r.medianMs, r.p90Ms, r.breachRate])).toEqual([
      ['101', 1, 2 * HOUR, 2 * HOUR, 0],
      ['751', 1, 4 * HOUR, 4 * HOUR, 0],
      // 10 and 30 hours: median 20 h, p90 10 + 0.9 × 20 = 28 h.
      ['851', 2, 20 * HOUR, 28 * HOUR, 0.5],
    ]);
    expect(byMunicipality[0].group?.name).toBe('København');
    // D's treatment started after her move: Aarhus.
    expect(
      row((await handling.report({ ...period, groupBy: 'municipality' })).rows, 'detection-to-treatment-start')?.group,
    ).toEqual({ id: '751', name: 'Aarhus' });
    const byRegion = (await handling.report({ ...period, groupBy: 'region', measure: 'notification-assessment' })).rows;
    expect(byRegion.map((r) => [r.group?.id, r.count, r.breached])).toEqual([
      ['1081', 2, 1],
      ['1082', 1, 0],
      ['1084', 1, 0],
    ]);
    const byOrganisation = (
      await handling.report({ ...period, groupBy: 'organisation', measure: 'clinic-first-visit' })
    ).rows;
    expect(byOrganisation.map((r) => r.group)).toEqual([
      { id: 'clinic:1081', name: 'Familieambulatoriet, Region Nordjylland' },
    ]);
  });

  it('counts a measure in the period it finished, from inclusive and to exclusive', async () => {
    // C was assessed at 2024-12-31T23:30Z: in a period ending then, the others not yet.
    const december = await handling.report({
      from: new Date('2024-12-01T00:00:00Z'),
      to: new Date('2024-12-31T23:30:00Z'),
      groupBy: 'milestone',
      measure: 'notification-assessment',
    });
    expect(december.rows).toEqual([]);
    const withC = await handling.report({
      from: new Date('2024-12-31T23:30:00Z'),
      to: new Date('2025-01-01T00:00:00Z'),
      groupBy: 'milestone',
      measure: 'notification-assessment',
    });
    expect(withC.rows.map((r) => [r.count, r.medianMs])).toEqual([[1, 4 * HOUR]]);
  });

  it('counts women referred to treatment per municipality, region and nationally in the Copenhagen calendar year', async () => {
    const report = await new AnnualReports(ds).report(2025);
    const m = (code: string) => report.municipalities.find((x) => x.code === code);
    expect(report.municipalities).toHaveLength(98);
    expect(m('851')).toMatchObject({ name: 'Aalborg', region: '1081', anyTreatment: 1, residential: 0 });
    // C (requested 00:30 on 1 January in Copenhagen) and D (granted residential after moving).
    expect(m('751')).toMatchObject({ anyTreatment: 2, residential: 1 });
    expect(m('101')).toMatchObject({ anyTreatment: 1, residential: 0 });
    expect(m('461')).toMatchObject({ anyTreatment: 1, residential: 1 });
    expect(m('147')).toMatchObject({ anyTreatment: 0, residential: 0 });
    expect(report.regions.map((r) => [r.code, r.anyTreatment, r.residential])).toEqual([
      ['1081', 1, 0],
      ['1082', 2, 1],
      ['1083', 1, 1],
      ['1084', 1, 0],
      ['1085', 0, 0],
    ]);
    // Women, not referrals: D counts in two municipalities but once nationally.
    expect(report.national).toEqual({ anyTreatment: 4, residential: 2 });
    expect(report.definitions.join(' ')).toMatch(/handlekommune/);
    expect((await new AnnualReports(ds).report(2024)).national).toEqual({ anyTreatment: 0, residential: 0 });
  });

  it('shows each facility’s occupancy and waits, and the requests not yet decided', async () => {
    const now = at(10 * DAY);
    const report = await new CapacityReports(ds).report(now);
    const facility = (id: string, name: string, places: number, retentionPlaces: number) => ({
      id,
      name,
      places,
      retentionPlaces,
      retiredAt: null,
      occupied: 0,
      occupiedUnderRetention: 0,
      awaitingAdmission: 0,
      longestWaitMs: null,
      waitingList: [],
    });
    const placeholder = (letter: string, places: number) => ({
      ...facility(`facility:residential-${letter.toLowerCase()}`, `Døgnbehandlingstilbud ${letter}`, places, places),
      retiredAt: '2026-12-04T00:00:00.000Z',
    });
    // Every facility the platform knows, by name: the seed of domain.md and the retired placeholders.
    expect(report.facilities).toEqual([
      placeholder('A', 2),
      placeholder('B', 5),
      facility('facility:familiecentret-vibygaard', 'Familiecentret Vibygård', 1, 0),
      // E: admitted under a retention contract.
      { ...facility('facility:holmegaardshuset', 'Holmegaardshuset', 2, 2), occupied: 1, occupiedUnderRetention: 1 },
      // D: requested on day 3, granted on day 4, still waiting on day 10 (Aarhus since the move).
      {
        ...facility('facility:kastaniegaarden', 'Kastaniegården (Plan A)', 5, 5),
        awaitingAdmission: 1,
        longestWaitMs: 7 * DAY,
        // No consent recorded: the facility's admission deadline has not opened.
        waitingList: [{ requestedAt: at(3 * DAY).toISOString(), waitedMs: 7 * DAY, municipality: '751', dueAt: null }],
      },
    ]);
    // B: requested on day 2.
    expect(report.awaitingDecision).toEqual({ count: 1, longestWaitMs: 8 * DAY });
  });

  it('derives the same rows when the projections are rebuilt from the events', async () => {
    const snapshot = async () => ({
      // Every column but the writing transaction's id, which a rebuild changes.
      handling: await ds.query(
        `SELECT to_jsonb(h) - 'tx' AS row FROM handling_times h ORDER BY case_id, measure, instance`,
      ),
      referrals: await ds.query(`SELECT * FROM treatment_referrals ORDER BY case_id, sequence`),
    });
    const live = await snapshot();
    expect(live.handling.length).toBeGreaterThan(10);
    const report = await handling.report({ ...period, groupBy: 'organisation' });
    await rebuildProjections(ds, store, PROJECTIONS);
    expect(await snapshot()).toEqual(live);
    // The report's copy in memory notices the rows were replaced: the same figures, not doubled.
    expect(await handling.report({ ...period, groupBy: 'organisation' })).toEqual(report);
  });
});
