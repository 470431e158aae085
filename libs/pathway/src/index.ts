/**
 * The domain of Pathway, pure TypeScript: the case decider (decide/evolve), its commands, events and
 * errors, who may send which command, reference data, CPR rules and gestational age.
 * No framework, no I/O: time and actor come in as arguments.
 */
export * from './alerts/alert';
export * from './case/actor';
export * from './case/available-commands';
export * from './case/case.commands';
export * from './case/case.events';
export * from './case/case.state';
export * from './case/case-summary';
export * from './case/earlier-cases';
export * from './case/decide';
export * from './case/domain-error';
export * from './case/permissions';
export * from './cpr';
export * from './milestones/birth-imminent';
export * from './milestones/engine';
export * from './milestones/lost-contact';
export * from './milestones/milestone';
export * from './milestones/schedule';
export * from './milestones/timers';
export * from './policy/default-policy';
export * from './policy/parse-policy';
export * from './policy/policy';
export * from './policy/signals';
export * from './reference/facilities';
export * from './reference/organisations';
export * from './reference/role-organisations';
export * from './time/dates';
export * from './time/gestation';
export * from './time/zoned';
export * from './time/duration';
export * from './time/calendar';
export * from './disclosure/disclosure-policy';
export * from './disclosure/disclosure';
export * from './person-name';
