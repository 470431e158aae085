import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@app/auth';
import { Clock } from '@app/config';
import { DomainError, NATIONAL_AUTHORITY, PLATFORM_ORGANISATION } from '@app/pathway';
import { verifyChains, type ChainReport } from '@app/persistence';
import { DataSource } from 'typeorm';
import { compile } from '../http/validation';

const validateVerify = compile<{ caseId?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { caseId: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } },
});

/** The integrity of the history, for auditors and administrators. */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Recomputes the hash chains and names each event where one breaks: of every case for the platform
   * administrator and the national authority's auditors, of the caller's organisations' cases for
   * everyone else (a break names its case; another organisation's case ids are not theirs to see).
   */
  @Get('verify')
  async verify(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
  ): Promise<ChainReport & { checkedAt: string }> {
    if (principal.role !== 'auditor' && principal.role !== 'admin') {
      throw new DomainError('ROLE_NOT_PERMITTED', 'only auditors and administrators verify the history', 'forbidden');
    }
    const { caseId } = validateVerify(query);
    const everyCase =
      principal.organisations.includes(PLATFORM_ORGANISATION) || principal.organisations.includes(NATIONAL_AUTHORITY);
    const report = await verifyChains(this.dataSource, {
      streamId: caseId,
      organisations: everyCase ? undefined : principal.organisations,
    });
    return { ...report, checkedAt: this.clock.now().toISOString() };
  }
}
