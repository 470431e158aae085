import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, TokenInQuery, type Principal } from '@app/auth';
import {
  alertView,
  ExecuteCaseCommand,
  ListAlertsQuery,
  parseAlertId,
  type AlertListRequest,
  type AlertView,
} from '@app/cases';
import { Clock } from '@app/config';
import { AlertReadModel, LivePolicyRegistry } from '@app/persistence';
import { assertMayIssue, DomainError } from '@app/pathway';
import { note } from '../cases/command-catalogue';
import { commandOptions } from '../cases/command-headers';
import { LIMIT_IN_QUERY, compile } from '../http/validation';
import { AlertStream, concerns, type AlertStreamMessage } from './alert-stream';

const validateListQuery = compile<{
  status?: string;
  severity?: string;
  milestone?: string;
  caseId?: string;
  limit?: string;
  cursor?: string;
}>({
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] },
    severity: { type: 'string', enum: ['info', 'high', 'critical'] },
    milestone: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    caseId: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
    limit: LIMIT_IN_QUERY,
    cursor: { type: 'string', minLength: 1, maxLength: 500 },
  },
});
const validateStreamQuery = compile<{ access_token?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { access_token: { type: 'string', minLength: 1, maxLength: 8192 } },
});
const validateAcknowledge = compile<{ note?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { note },
});

/** At most this many alerts in one bulk acknowledgement (a page of the inbox). */
const MOST_ACKNOWLEDGED_AT_ONCE = 100;
/** POST /v1/alerts/acknowledge's body (also the OpenAPI document's). */
export const BULK_ACKNOWLEDGE_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['alerts'],
  properties: {
    alerts: {
      type: 'array',
      minItems: 1,
      maxItems: MOST_ACKNOWLEDGED_AT_ONCE,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 200 },
      description: 'Public alert ids, as in GET /v1/alerts',
    },
    note,
  },
};
const validateBulkAcknowledge = compile<{ alerts: string[]; note?: string }>(BULK_ACKNOWLEDGE_BODY);

function alertNotFound(): DomainError {
  return new DomainError('ALERT_NOT_FOUND', 'there is no such alert, or it is not yours to see', 'not-found');
}

/** Alerts in the app: the inbox, the live stream and acknowledgement. */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/alerts')
export class AlertsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(AlertReadModel) private readonly alerts: AlertReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(AlertStream) private readonly live: AlertStream,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown): Promise<unknown> {
    const q = validateListQuery(query);
    const request: AlertListRequest = {
      status: q.status as AlertListRequest['status'],
      severity: q.severity as AlertListRequest['severity'],
      milestone: q.milestone,
      caseId: q.caseId,
      limit: q.limit ? Number(q.limit) : 50,
      cursor: q.cursor,
    };
    const page = await this.queries.execute(new ListAlertsQuery(principal, request));
    // The server's time: a page counts how overdue an alert is from it, whatever its own clock says.
    return { ...page, now: this.clock.now().toISOString() };
  }

  /** Server-Sent Events: `event: alert` with `{ event, alert }` for every alert of the caller's as it changes. */
  @Get('stream')
  @TokenInQuery()
  stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    validateStreamQuery(query);
    // Before the answer starts: with all the caller's streams open, this is 429 TOO_MANY_STREAMS.
    const release = this.live.reserve(principal);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    const stop = this.live.listen(
      (message: AlertStreamMessage) => {
        if (!concerns(principal, message.alert)) return;
        res.write(
          `id: ${message.alert.id}.${message.event}.${message.alert.resends}\nevent: alert\ndata: ${JSON.stringify(message)}\n\n`,
        );
      },
      () => res.end(),
    );
    const heartbeat = setInterval(() => res.write(': ping\n\n'), this.live.heartbeatMs);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      stop();
      release();
    });
  }

  /**
   * Takes several alerts with one note (the inbox's card of a milestone at its current level, or the
   * cards selected): each is acknowledged by its own command, so recorded in its case's history as
   * one acknowledgement would be, all with the request's correlation id. Every alert is looked up
   * first: one that does not exist or is not the caller's to see refuses the whole request
   * (ALERT_NOT_FOUND) before any is acknowledged, so another organisation's alert is neither taken
   * nor revealed. An alert that is already acknowledged or resolved is left as it is: the answer
   * shows every alert as it now stands, in the order asked.
   */
  @Post('acknowledge')
  @HttpCode(200)
  async acknowledgeMany(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<{ items: AlertView[] }> {
    assertMayIssue(principal.role, 'acknowledge-alert');
    const { alerts, note: text } = validateBulkAcknowledge(body === undefined ? {} : body);
    const { correlationId } = commandOptions(request.headers as Record<string, string | undefined>, false);
    const targets = [];
    for (const id of alerts) {
      const target = parseAlertId(id);
      const record = target && (await this.alerts.find(target.caseId, target.alert));
      if (!target || !record || !concerns(principal, alertView(record, this.policies))) throw alertNotFound();
      targets.push({ ...target, open: record.alert.status === 'open' });
    }
    const items: AlertView[] = [];
    for (const target of targets) {
      if (target.open) {
        try {
          await this.commands.execute(
            new ExecuteCaseCommand(
              principal,
              target.caseId,
              { type: 'acknowledge-alert', data: { alert: target.alert, ...(text !== undefined && { note: text }) } },
              { correlationId },
            ),
          );
        } catch (error) {
          // Taken or resolved meanwhile (someone else, the milestone met): as asked, it is no longer open.
          if (!(error instanceof DomainError && ['ALERT_ALREADY_ACKNOWLEDGED', 'ALERT_RESOLVED'].includes(error.code)))
            throw error;
        }
      }
      const record = await this.alerts.find(target.caseId, target.alert);
      if (!record) throw alertNotFound();
      items.push(alertView(record, this.policies));
    }
    return { items };
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  async acknowledge(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<AlertView> {
    const target = parseAlertId(id);
    if (!target) throw alertNotFound();
    const data = validateAcknowledge(body === undefined ? {} : body);
    const options = commandOptions(request.headers as Record<string, string | undefined>, false);
    await this.commands.execute(
      new ExecuteCaseCommand(
        principal,
        target.caseId,
        { type: 'acknowledge-alert', data: { alert: target.alert, ...data } },
        options,
      ),
    );
    const record = await this.alerts.find(target.caseId, target.alert);
    if (!record) throw alertNotFound();
    return alertView(record, this.policies);
  }
}
