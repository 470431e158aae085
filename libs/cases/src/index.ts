/**
 * The application layer: commands (register a concern, any command on a case) and queries (a case,
 * the case list, a case's history, the organisations), run through @nestjs/cqrs buses.
 */
export * from './cases.module';
export * from './commands/execute-case-command/execute-case-command.command';
export * from './commands/fire-timer/fire-timer.command';
export * from './commands/register-concern/register-concern.command';
export * from './queries/get-case-milestones/get-case-milestones.query';
export * from './queries/get-pathway/get-pathway.query';
export * from './queries/list-milestones/list-milestones.query';
export * from './queries/list-alerts/alert-view';
export * from './queries/list-alerts/list-alerts.query';
export * from './queries/list-referrals/list-referrals.query';
export * from './queries/get-case-actions/get-case-actions.query';
export * from './queries/get-case-audit/get-case-audit.query';
export * from './queries/get-case-history/get-case-history.query';
export * from './queries/get-case/get-case.query';
export * from './queries/list-cases/list-cases.query';
export * from './queries/list-organisations/list-organisations.query';
export * from './shared/case-response';
export * from './shared/case-writer';
export * from './shared/cpr-cipher';
export * from './shared/cpr-index';
export * from './shared/name-index';
export * from './shared/reindex-cpr';
export * from './shared/disclosure';
export * from './shared/rotate-cpr-key';
export * from './shared/errors';
