import type { Principal } from '@app/auth';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  defaultDisclosurePolicy,
  discloseCase,
  discloseActor,
  discloseEvent,
  discloseMilestone,
  discloseMilestoneClock,
  disclosureFor,
  earlierCaseOf,
  earlierCasesShown,
  handoffDeadlinesShown,
  roleAlwaysSees,
  showsName,
  ruleOfInstance,
  type AvailableCommand,
  type CaseSummary,
  type CaseEventType,
  type CaseView,
  type Disclosure,
  type DisclosureCase,
  type DisclosureClass,
  type DisclosurePolicy,
  type EarlierCase,
  type Handoff,
} from '@app/pathway';
import type { CaseRead } from '@app/persistence';
import { FilterNotShownError } from './errors';
import type { CaseWrite } from '../queries/get-case-audit/get-case-audit.query';
import type { HistoryEntry } from '../queries/get-case-history/get-case-history.query';
import type { MilestoneView } from '../queries/get-case-milestones/get-case-milestones.query';

/**
 * The one place where the disclosure (disclosureFor in @app/pathway) is applied to answers: one
 * function per answer shape, used by every read path. No route filters on its own.
 */
export class CaseDisclosure {
  constructor(readonly policy: DisclosurePolicy) {}

  /** What this caller is shown of this case. */
  of(principal: Principal, c: DisclosureCase): Disclosure {
    return disclosureFor(this.policy, principal, c);
  }

  /** Whether the caller's role is shown this class in every case it has a part in (roleAlwaysSees): what a list filter needs. */
  alwaysShown(principal: Principal, cls: DisclosureClass): boolean {
    return roleAlwaysSees(this.policy, principal.role, cls);
  }

  /**
   * Refuses (FILTER_NOT_SHOWN, naming them) the list filters given (`filters`: each by name, true
   * when given) on fields of a class the caller's role is not shown in every case it has a part in:
   * filtering by them would tell what a case's answer hides. The one place a route checks this.
   */
  requireFiltersShown(principal: Principal, cls: DisclosureClass, filters: Readonly<Record<string, boolean>>): void {
    const given = Object.keys(filters).filter((name) => filters[name]);
    if (given.length > 0 && !this.alwaysShown(principal, cls)) throw new FilterNotShownError(given);
  }

  /**
   * A case view (GET /v1/cases/{id}, list items, a command's `case`), with her CPR number in the
   * allowed form when given, her earlier cases when given (`earlierCases`: those shown), and her
   * name when given (where `showsName`).
   */
  caseView(
    d: Disclosure,
    view: CaseView,
    cpr?: string | null,
    earlierCases?: readonly EarlierCase[],
    name?: string | null,
  ): Partial<CaseView> & { cpr?: string | null; name?: string | null; earlierCases?: EarlierCase[] } {
    return discloseCase(d, view, cpr, earlierCases, name);
  }

  /** Whether this caller is shown her identity (her CPR number, masked or whole) in this case: what a CPR search needs. */
  showsIdentity(principal: Principal, c: DisclosureCase): boolean {
    return this.of(principal, c).identity !== 'none';
  }

  /** Whether this caller is shown her name in this case (showsName): what the name search and record-name need. */
  showsName(principal: Principal, c: DisclosureCase): boolean {
    return showsName(this.of(principal, c));
  }

  /** Her earlier cases this caller may link to this one: those whose identity she is shown too. */
  earlierCases(principal: Principal, summaries: readonly CaseSummary[]): EarlierCase[] {
    return earlierCasesShown(summaries, (s) => this.of(principal, s)).map(earlierCaseOf);
  }

  /**
   * The events of a case: those of the classes shown, each without the fields of other classes, and
   * who recorded it as shown (discloseActor: the person only with the logistics).
   */
  events(d: Disclosure, entries: HistoryEntry[]): HistoryEntry[] {
    return entries.flatMap((e) => {
      const data = discloseEvent(d, e.type as CaseEventType, e.data);
      return data ? [{ ...e, data, actor: discloseActor(d, e.actor) }] : [];
    });
  }

  /**
   * Milestones (of a case, or of the work queue): those shown; who does each only with the logistics
   * (as the coordinator); the reasons of its pauses only with the clinical (discloseMilestoneClock).
   */
  milestones<
    M extends Pick<MilestoneView, 'rule' | 'assignee'> &
      Partial<Pick<MilestoneView, 'pauses' | 'explanation' | 'alerted'>>,
  >(d: Disclosure, milestones: M[]): M[] {
    return milestones
      .filter((m) => discloseMilestone(d, m.rule))
      .map((m) => {
        const clock = discloseMilestoneClock(d, m);
        if (d.classes.has('logistics')) return clock;
        // Who does it and who took its alerts: logistics (ALERT_FIELD_CLASSES: acknowledged).
        const { assignee: _assignee, ...shown } = clock;
        if (shown.alerted) shown.alerted = shown.alerted.map(({ acknowledged: _acknowledged, ...a }) => a);
        return shown as M;
      });
  }

  /** The deadline to acknowledge each hand-off shown, by the hand-off's id (handoffDeadlinesShown). */
  handoffDeadlines<M extends { rule: string; key: string }>(
    d: Disclosure,
    handoffs: readonly Pick<Handoff, 'id' | 'kind'>[],
    milestones: readonly M[],
  ): Map<string, M> {
    return handoffDeadlinesShown(d, handoffs, milestones);
  }

  /**
   * The commands offered: those about a milestone shown; those the stage alone offers need the
   * logistics; record-name that her name is shown too (whoever may not see her name may not write it).
   */
  actions(d: Disclosure, offers: AvailableCommand[]): AvailableCommand[] {
    return offers.filter((o) =>
      o.milestone
        ? discloseMilestone(d, ruleOfInstance(o.milestone))
        : d.classes.has('logistics') && (o.command !== 'record-name' || showsName(d)),
    );
  }

  /**
   * The audit of a case: the writes whose event is shown (`data` decides a milestone event's class),
   * and the reads: all of them with the logistics, else her own organisations' only.
   */
  audit(
    d: Disclosure,
    principal: Principal,
    writes: (CaseWrite & { data: Record<string, unknown> })[],
    reads: CaseRead[],
  ): { writes: CaseWrite[]; reads: CaseRead[] } {
    return {
      writes: writes.flatMap(({ data, ...w }) =>
        discloseEvent(d, w.type as CaseEventType, data) ? [{ ...w, actor: discloseActor(d, w.actor) }] : [],
      ),
      reads: d.classes.has('logistics')
        ? reads
        : reads.filter((r) => principal.organisations.includes(r.reader.organisation)),
    };
  }
}

/** The disclosure policy of the configuration (validated at start); configurations built by hand in tests get the default. */
export const caseDisclosureProvider = {
  provide: CaseDisclosure,
  inject: [APP_CONFIG],
  useFactory: (c: AppConfig) => new CaseDisclosure(c.disclosure ?? defaultDisclosurePolicy()),
};
