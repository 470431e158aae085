import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@app/auth';
import { DomainError } from '@app/pathway';
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
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Recomputes every case's hash chain (or one case's) and names each event where it breaks. */
  @Get('verify')
  async verify(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
  ): Promise<ChainReport & { checkedAt: string }> {
    if (principal.role !== 'auditor' && principal.role !== 'admin') {
      throw new DomainError('ROLE_NOT_PERMITTED', 'only auditors and administrators verify the history', 'forbidden');
    }
    const { caseId } = validateVerify(query);
    const report = await verifyChains(this.dataSource, { streamId: caseId });
    return { ...report, checkedAt: new Date().toISOString() };
  }
}
