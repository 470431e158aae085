import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@app/auth';
import { CaseDisclosure, GetPathwayQuery, ListMilestonesQuery } from '@app/cases';
import { CASE_FIELD_CLASSES, EVENT_CLASSES, REFERRAL_RULES, SHOWN_MILESTONE_STATUSES } from '@app/pathway';
import { LIMIT_500_IN_QUERY, compile } from '../http/validation';

const validateQuery = compile<{
  status?: string;
  milestone?: string;
  dueBefore?: string;
  breached?: string;
  assignee?: string;
  mine?: string;
  limit?: string;
}>({
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...SHOWN_MILESTONE_STATUSES] },
    milestone: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    dueBefore: { type: 'string', format: 'date-time' },
    breached: { type: 'string', enum: ['true', 'false'] },
    assignee: { type: 'string', minLength: 1, maxLength: 200, 'x-plain-text': true },
    mine: { type: 'string', enum: ['true', 'false'] },
    limit: LIMIT_500_IN_QUERY,
  },
});

/** The work queue of the caller's organisations, the pathway policy and the disclosure policy. */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1')
export class MilestonesController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
  ) {}

  @Get('milestones')
  async workQueue(@CurrentPrincipal() principal: Principal, @Query() query: unknown): Promise<unknown> {
    const q = validateQuery(query);
    const milestones = await this.queries.execute(
      new ListMilestonesQuery(principal, {
        status: q.status as never,
        milestone: q.milestone,
        dueBefore: q.dueBefore,
        breached: q.breached === 'true',
        // `me`: the caller; `none`: nobody.
        ...(q.assignee !== undefined && {
          assignee: q.assignee === 'none' ? null : q.assignee === 'me' ? principal.sub : q.assignee,
        }),
        ...(q.mine === 'true' && { mine: principal.sub }),
        limit: q.limit ? Number(q.limit) : 100,
      }),
    );
    return { milestones };
  }

  @Get('pathway')
  async pathway(): Promise<unknown> {
    return this.queries.execute(new GetPathwayQuery());
  }

  /** Who sees what of a case: the policy every read path applies, and the class of every field and event. */
  @Get('disclosure')
  disclosurePolicy(): unknown {
    return {
      policy: this.disclosure.policy,
      caseFields: CASE_FIELD_CLASSES,
      events: EVENT_CLASSES,
      referralMilestones: REFERRAL_RULES,
    };
  }
}
