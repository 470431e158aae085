/**
 * The domain of Pathway, pure TypeScript: the case decider (decide/evolve), its commands, events and
 * errors, who may send which command, reference data, CPR rules and gestational age.
 * No framework, no I/O: time and actor come in as arguments.
 */
export * from './case/actor';
export * from './case/case.commands';
export * from './case/case.events';
export * from './case/case.state';
export * from './case/case-summary';
export * from './case/decide';
export * from './case/domain-error';
export * from './case/permissions';
export * from './cpr';
export * from './reference/organisations';
export * from './time/dates';
export * from './time/gestation';
