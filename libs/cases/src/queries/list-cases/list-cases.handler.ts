import { Clock } from '@app/config';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dueDateReachingWeek, isRealDate, parseCpr, viewAt, type CaseSummary } from '@app/pathway';
import type { Principal } from '@app/auth';
import {
  CaseReadLog,
  CaseReadModel,
  LivePolicyRegistry,
  type CaseListFilter,
  type CaseListPage,
  type CaseSearchView,
  type CaseListPosition,
  type CaseListSort,
} from '@app/persistence';
import { CprIndex } from '../../shared/cpr-index';
import { NameIndex } from '../../shared/name-index';
import { CaseDisclosure } from '../../shared/disclosure';
import { decodeCursor, encodeCursor, isIsoInstant } from '../../shared/cursor';
import { CprInUrlError } from '../../shared/errors';
import { ListCasesQuery, MAX_CASE_PAGE, type CaseListAnswer } from './list-cases.query';

@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(CaseReadLog) private readonly reads: CaseReadLog,
    @Inject(CprIndex) private readonly cprIndex: CprIndex,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
    @Inject(NameIndex) private readonly nameIndex: NameIndex,
  ) {}

  async execute({ principal, request }: ListCasesQuery): Promise<CaseListAnswer> {
    const now = this.clock.now();
    const sort = request.sort ?? 'registered';
    // Stage, coordinator, caseworker, deadlines and due date are logistics: only a role shown them in all its cases filters by them.
    this.disclosure.requireFiltersShown(principal, 'logistics', {
      stage: request.stage !== undefined,
      coordinator: request.coordinator !== undefined,
      caseworker: request.caseworker !== undefined,
      overdue: request.overdue === true,
      birthImminent: request.birthImminent === true,
      sort: sort === 'due-date',
    });
    const cpr = request.query === undefined ? null : parseCpr(request.query.trim());
    if (cpr && !request.allowIdentity) throw new CprInUrlError();
    const filter: CaseListFilter = {
      organisations: principal.organisations,
      stage: request.stage,
      municipality: request.municipality,
      coordinator: request.coordinator,
      caseworker: request.caseworker,
      overdueAt: request.overdue ? now.toISOString() : undefined,
      birthImminentBy: request.birthImminent
        ? dueDateReachingWeek(now, this.policies.active.scaling.birthImminentWeek)
        : undefined,
      sort,
      limit: request.limit,
    };
    if (cpr) return this.searchIdentity(principal, { ...filter, cprIndex: this.cprIndex.of(cpr) }, 'cpr-search', now);
    const reference = request.query === undefined ? undefined : request.query.trim();
    // Her name is searched only where the query does not travel in a URL, and only when it is no
    // reference of the caller's cases (a one-word name can look like one).
    if (reference !== undefined && request.allowIdentity && request.cursor === undefined) {
      const byReference = await this.readModel.list({ ...filter, reference });
      if (byReference.total > 0) return this.answer(principal, byReference, sort, now);
      const tokens = this.nameIndex.of(reference);
      return tokens.length === 0
        ? { items: [], total: 0, nextCursor: null }
        : this.searchIdentity(principal, { ...filter, nameTokens: tokens }, 'name-search', now);
    }
    const page = await this.readModel.list({
      ...filter,
      reference,
      after: request.cursor === undefined ? undefined : decodeCursor(request.cursor, (parts) => position(sort, parts)),
    });
    return this.answer(principal, page, sort, now);
  }

  private answer(principal: Principal, page: CaseListPage, sort: CaseListSort, now: Date): CaseListAnswer {
    return {
      // CPR numbers and names are never listed, in any form.
      items: page.items.map((r) => this.item(principal, r.summary, now)),
      total: page.total,
      nextCursor:
        page.last &&
        encodeCursor(
          sort === 'registered' ? [page.last.key, page.last.caseId] : [sort, page.last.key, page.last.caseId],
        ),
    };
  }

  /**
   * Her cases by a keyed blind index (of her CPR number, or of the words of her name), all on one
   * page; those whose identity the caller may not see are left out, so that the answer is the same
   * as for a search of no case of hers, and each found is recorded as a read before the answer.
   */
  private async searchIdentity(
    principal: Principal,
    filter: CaseListFilter,
    view: CaseSearchView,
    now: Date,
  ): Promise<CaseListAnswer> {
    const page = await this.readModel.list({ ...filter, limit: MAX_CASE_PAGE });
    // Her name only where it is shown (showsName); her CPR number wherever her identity is.
    const shown = (r: (typeof page.items)[number]) =>
      view === 'name-search'
        ? this.disclosure.showsName(principal, r.summary)
        : this.disclosure.showsIdentity(principal, r.summary);
    const found = page.items.filter(shown);
    await this.reads.recordSearch(
      found.map((r) => r.summary.id),
      { id: principal.sub, role: principal.role, organisations: principal.organisations },
      now,
      view,
    );
    return { items: found.map((r) => this.item(principal, r.summary, now)), total: found.length, nextCursor: null };
  }

  private item(principal: Principal, summary: CaseSummary, now: Date) {
    return this.disclosure.caseView(this.disclosure.of(principal, summary), viewAt(summary, now, this.policies));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REFERENCE = /^[A-Za-z0-9-]{1,100}$/;

/**
 * The position a cursor holds, as `execute` writes it: [detectedAt, case id] for the registration
 * order (the form of the first cursors), [sort, key, case id] for the others; a cursor of another
 * sort is not one of this list's.
 */
function position(sort: CaseListSort, parts: unknown[]): CaseListPosition | null {
  const registered = sort === 'registered';
  if (parts.length !== (registered ? 2 : 3) || (!registered && parts[0] !== sort)) return null;
  const [key, caseId] = registered ? parts : parts.slice(1);
  if (typeof key !== 'string' || typeof caseId !== 'string' || !UUID.test(caseId)) return null;
  const valid = registered
    ? isIsoInstant(key)
    : sort === 'due-date'
      ? isRealDate(key) && !key.startsWith('0000')
      : REFERENCE.test(key);
  return valid ? { key, caseId } : null;
}
