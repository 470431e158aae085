import { milestoneRule } from '../../milestones/engine';
import { isActive } from '../../milestones/milestone';
import { birthPlausibleFromWeek, mootCloseReasons, policyFor } from '../../policy/policy';
import { gestationalAge } from '../../time/gestation';
import type { CaseCommandData } from '../case.commands';
import type { OpenCase } from '../case.state';
import { refuse } from '../domain-error';
import type { CaseContext } from './guards';

/**
 * A case is not closed over an open legal duty (LAW milestone): refused LEGAL_DUTY_OPEN unless the
 * close reason makes the duty moot (the policy's closure.mootReasons: pregnancy ended, moved abroad,
 * died); then the duty is waived with the reason.
 */
export function closingLeavesNoLegalDuty(state: OpenCase, data: CaseCommandData['close-case'], ctx: CaseContext): void {
  const policy = policyFor(ctx.policies, state.policy);
  if (mootCloseReasons(policy).includes(data.reason)) return;
  const open = Object.values(state.milestones).filter(
    (m) => isActive(m) && milestoneRule(m, ctx.policies).rule.basis === 'LAW',
  );
  if (open.length)
    refuse(
      'LEGAL_DUTY_OPEN',
      `legal duties are still open (${open.map((m) => m.id).join(', ')}): meet them first, or close for a reason ` +
        `that makes them moot (${mootCloseReasons(policy).join(', ')})`,
    );
}

/**
 * A birth before the policy's plausible week (default 22) is refused BIRTH_TOO_EARLY: a pregnancy
 * that ends that early is recorded with record-pregnancy-ended.
 */
export function birthIsPlausible(state: OpenCase, ctx: CaseContext): void {
  const week = birthPlausibleFromWeek(policyFor(ctx.policies, state.policy));
  const age = gestationalAge(state.estimatedDueDate, new Date(ctx.at));
  if (age.weeks < week)
    refuse(
      'BIRTH_TOO_EARLY',
      `a birth at week ${age.weeks}+${age.extraDays} is before week ${week}: record the end of the pregnancy with ` +
        'record-pregnancy-ended (miscarriage, termination or stillbirth) instead',
    );
}
