import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@app/auth';
import { ListReferralsQuery } from '@app/cases';
import { LIMIT_IN_QUERY, compile } from '../http/validation';

const validateQuery = compile<{ limit?: string; cursor?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: LIMIT_IN_QUERY,
    cursor: { type: 'string', minLength: 1, maxLength: 500 },
  },
});

/** A referrer follows her referrals: acknowledged by the receiver? deadlines kept? No clinical detail. */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/referrals')
export class ReferralsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown): Promise<unknown> {
    const { limit, cursor } = validateQuery(query);
    return this.queries.execute(new ListReferralsQuery(principal, limit ? Number(limit) : 50, cursor));
  }
}
