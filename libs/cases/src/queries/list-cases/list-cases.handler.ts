import { Clock } from '@app/config';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { viewAt, type CaseView } from '@app/pathway';
import { CaseReadModel } from '@app/persistence';
import { InvalidCursorError } from '../../shared/errors';
import { ListCasesQuery } from './list-cases.query';

@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ principal, request }: ListCasesQuery): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    const page = await this.readModel.list({
      organisations: principal.organisations,
      stage: request.stage,
      municipality: request.municipality,
      coordinator: request.coordinator,
      limit: request.limit,
      after: request.cursor === undefined ? undefined : decodeCursor(request.cursor),
    });
    const now = this.clock.now();
    return {
      items: page.items.map((r) => viewAt(r.summary, now)),
      nextCursor: page.last && Buffer.from(JSON.stringify([page.last.detectedAt, page.last.caseId])).toString('base64url'),
    };
  }
}

const ISO_TIME = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A cursor is exactly what `execute` writes: [detectedAt as toISOString(), case id]; anything else is refused before SQL sees it. */
function decodeCursor(cursor: string): { detectedAt: string; caseId: string } {
  try {
    const [detectedAt, caseId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof detectedAt === 'string' && ISO_TIME.test(detectedAt) && new Date(detectedAt).toISOString() === detectedAt &&
      typeof caseId === 'string' && UUID.test(caseId)
    ) {
      return { detectedAt, caseId };
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}
