import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AnnualReports,
  CapacityReports,
  GROUP_BYS,
  HandlingTimesReports,
  knownMeasures,
  reportPeriod,
  type GroupBy,
} from '@app/audit';
import { Clock } from '@app/config';
import { LivePolicyRegistry } from '@app/persistence';
import { compile, ValidationError } from '../http/validation';
import { hoursAndDays, sendCsv, toCsv, wantsCsv } from './csv';

const DAY_OR_INSTANT = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$';
const format = { type: 'string', enum: ['json', 'csv'] };

const validateHandlingTimes = compile<{
  from?: string;
  to?: string;
  groupBy?: GroupBy;
  measure?: string;
  format?: string;
}>({
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'string', pattern: DAY_OR_INSTANT },
    to: { type: 'string', pattern: DAY_OR_INSTANT },
    groupBy: { type: 'string', enum: [...GROUP_BYS] },
    measure: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    format,
  },
});
const validateAnnual = compile<{ year: string; format?: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['year'],
  properties: { year: { type: 'string', pattern: '^(19[7-9][0-9]|2[0-9]{3})$' }, format },
});
const validateCapacity = compile<{ format?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { format },
});

/** The CSV's note on its durations. */
const DURATIONS = 'Durations in hours and in days of 24 hours, to two decimals.';

/**
 * Reports for caseworkers, managers and auditors: aggregates only, never a case or a CPR number.
 * Each answers JSON, or CSV with `Accept: text/csv` (or `?format=csv`).
 */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/reports')
export class ReportsController {
  constructor(
    @Inject(HandlingTimesReports) private readonly handlingTimes: HandlingTimesReports,
    @Inject(AnnualReports) private readonly annual: AnnualReports,
    @Inject(CapacityReports) private readonly capacity: CapacityReports,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Count, median, p90, max and breach rate per milestone rule and case interval; the last 12 months
   * unless from/to say otherwise (a day `to` includes that whole Copenhagen day: reportPeriod).
   */
  @Get('handling-times')
  async handlingTimesReport(
    @Query() query: unknown,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const q = validateHandlingTimes(query);
    const { from, to } = reportPeriod(q, this.clock.now());
    // `to` first: a missing `from` is counted back from it.
    for (const [field, value] of [
      ['/to', to],
      ['/from', from],
    ] as const)
      if (Number.isNaN(value.getTime()))
        throw new ValidationError([{ field, problem: 'must be a real date or instant' }]);
    if (from >= to) throw new ValidationError([{ field: '/from', problem: 'must be before to' }]);
    if (q.measure && !knownMeasures(this.policies.active.milestones.map((m) => m.id)).includes(q.measure)) {
      throw new ValidationError([
        { field: '/measure', problem: 'must be a milestone of the pathway policy or a case interval' },
      ]);
    }
    const report = await this.handlingTimes.report({ from, to, groupBy: q.groupBy ?? 'milestone', measure: q.measure });
    if (!wantsCsv(accept, q.format)) return report;
    return sendCsv(
      reply,
      `handling-times-${q.groupBy ?? 'milestone'}.csv`,
      toCsv(
        [
          `Handling times from ${report.from} (inclusive) to ${report.to} (exclusive), grouped by ${report.groupBy}. ${DURATIONS} Breach rate: a share from 0 to 1.`,
          ...report.definitions,
        ],
        [
          'measure',
          'kind',
          'group_id',
          'group_name',
          'count',
          'median_hours',
          'median_days',
          'p90_hours',
          'p90_days',
          'max_hours',
          'max_days',
          'breached',
          'breach_rate',
        ],
        report.rows.map((r) => [
          r.measure,
          r.kind,
          r.group?.id,
          r.group?.name,
          r.count,
          ...hoursAndDays(r.medianMs),
          ...hoursAndDays(r.p90Ms),
          ...hoursAndDays(r.maxMs),
          r.breached,
          r.breachRate,
        ]),
      ),
    );
  }

  /** The yearly table for the national authority: women referred to any treatment and to residential treatment. */
  @Get('annual')
  async annualReport(
    @Query() query: unknown,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const q = validateAnnual(query);
    const report = await this.annual.report(Number(q.year));
    if (!wantsCsv(accept, q.format)) return report;
    return sendCsv(
      reply,
      `annual-${report.year}.csv`,
      toCsv(
        [`Women referred to treatment in ${report.year}, per municipality and region.`, ...report.definitions],
        ['level', 'code', 'name', 'region', 'any_treatment', 'residential'],
        [
          ...report.municipalities.map((m) => [
            'municipality',
            m.code,
            m.name,
            m.region,
            m.anyTreatment,
            m.residential,
          ]),
          ...report.regions.map((r) => ['region', r.code, r.name, r.code, r.anyTreatment, r.residential]),
          ['national', '', 'Danmark', '', report.national.anyTreatment, report.national.residential],
        ],
      ),
    );
  }

  /** Per residential facility: places, occupancy, placements waiting for admission and the longest wait. */
  @Get('capacity')
  async capacityReport(
    @Query() query: unknown,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const q = validateCapacity(query);
    const report = await this.capacity.report(this.clock.now());
    if (!wantsCsv(accept, q.format)) return report;
    return sendCsv(
      reply,
      'capacity.csv',
      toCsv(
        [`Residential capacity at ${report.at}. Waits run from the residential request. ${DURATIONS}`],
        [
          'facility',
          'name',
          'places',
          'retention_places',
          'occupied',
          'occupied_under_retention',
          'awaiting_admission',
          'longest_wait_hours',
          'longest_wait_days',
        ],
        [
          ...report.facilities.map((f) => [
            f.id,
            f.name,
            f.places,
            f.retentionPlaces,
            f.occupied,
            f.occupiedUnderRetention,
            f.awaitingAdmission,
            ...hoursAndDays(f.longestWaitMs),
          ]),
          [
            '',
            'awaiting a decision (no facility yet)',
            '',
            '',
            '',
            '',
            report.awaitingDecision.count,
            ...hoursAndDays(report.awaitingDecision.longestWaitMs),
          ],
        ],
      ),
    );
  }
}
