import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '@app/auth';
import {
  CaseNotFoundError,
  ExecuteCaseCommand,
  GetCaseActionsQuery,
  GetCaseAuditQuery,
  GetCaseHistoryQuery,
  GetCaseMilestonesQuery,
  GetCaseQuery,
  CASE_LIST_SORTS,
  ListCasesQuery,
  MAX_CASE_PAGE,
  RegisterConcernCommand,
  type CaseListRequest,
  type RegisterConcernBody,
  type WriteResult,
} from '@app/cases';
import { DomainError, MUNICIPALITY_CODES, STAGES, type CaseCommand } from '@app/pathway';
import { LIMIT_IN_QUERY, compile } from '../http/validation';
import { CASE_COMMANDS, COMMANDS } from './command-catalogue';
import { commandOptions } from './command-headers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const validateRegister = compile<RegisterConcernBody>(COMMANDS['register-concern'].body);
const validators = new Map(CASE_COMMANDS.map((type) => [type, compile<CaseCommand['data']>(COMMANDS[type].body)]));
type ListFilters = Omit<CaseListRequest, 'query' | 'allowIdentity' | 'limit' | 'overdue' | 'birthImminent'> & {
  q?: string;
};

/**
 * The filters of GET /v1/cases (`inQuery`: every value a string of the query) and of POST
 * /v1/cases/search (a JSON body: flags are booleans, the limit a number).
 */
function listSchema(inQuery: boolean): Record<string, unknown> {
  const flag = inQuery ? { type: 'string', enum: ['true', 'false'] } : { type: 'boolean' };
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      q: { type: 'string', minLength: 1, maxLength: 100, 'x-plain-text': true },
      stage: { type: 'string', enum: [...STAGES] },
      municipality: { type: 'string', enum: [...MUNICIPALITY_CODES] },
      coordinator: { type: 'string', minLength: 1, maxLength: 200, 'x-plain-text': true },
      caseworker: { type: 'string', minLength: 1, maxLength: 200, 'x-plain-text': true },
      overdue: flag,
      birthImminent: flag,
      sort: { type: 'string', enum: [...CASE_LIST_SORTS] },
      limit: inQuery ? LIMIT_IN_QUERY : { type: 'integer', minimum: 1, maximum: MAX_CASE_PAGE },
      cursor: { type: 'string', minLength: 1, maxLength: 500 },
    },
  };
}

const validateListQuery = compile<ListFilters & { limit?: string; overdue?: string; birthImminent?: string }>(
  listSchema(true),
);
const validateSearch = compile<ListFilters & { limit?: number; overdue?: boolean; birthImminent?: boolean }>(
  listSchema(false),
);

function caseId(id: string): string {
  if (!UUID.test(id)) throw new CaseNotFoundError();
  return id.toLowerCase();
}

/** The referral path over HTTP: register a concern, send commands, read cases and their history. */
@ApiExcludeController() // documented from the command catalogue in openapi.ts
@Controller('v1/cases')
export class CasesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  async register(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const result = await this.commands.execute(
      new RegisterConcernCommand(principal, validateRegister(body === undefined ? {} : body), commandOptions(headers)),
    );
    reply.header('location', `/v1/cases/${result.caseId}`);
    return answer(result, reply);
  }

  @Post(':id/:command')
  @HttpCode(200)
  async command(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('command') type: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const validate = validators.get(type as (typeof CASE_COMMANDS)[number]);
    if (!validate) throw new DomainError('UNKNOWN_COMMAND', `there is no command ${type}; see /docs`, 'not-found');
    const command = { type, data: validate(body === undefined ? {} : body) } as Exclude<
      CaseCommand,
      { type: 'register-concern' | 'fire-timer' }
    >;
    const options = commandOptions(headers, true);
    const result = await this.commands.execute(new ExecuteCaseCommand(principal, caseId(id), command, options));
    if (options.withCase && !result.replayed) reply.header('preference-applied', 'return=representation');
    return answer(result, reply);
  }

  /**
   * The caller's cases: by reference (`q`), filtered, sorted and paged. A CPR number in `q` is
   * refused (CPR_IN_URL), and a name is not searched (it would find nothing): both only by POST
   * /v1/cases/search, since a URL ends up in logs.
   */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: unknown): Promise<unknown> {
    const { q, limit, overdue, birthImminent, ...filters } = validateListQuery(query);
    return this.queries.execute(
      new ListCasesQuery(principal, {
        ...filters,
        query: q,
        overdue: overdue === 'true',
        birthImminent: birthImminent === 'true',
        limit: limit ? Number(limit) : 50,
      }),
    );
  }

  /**
   * GET /v1/cases with the filters in a JSON body, where `q` may also be her CPR number or her name:
   * a body is not kept in access logs, proxies and browser histories as a URL is. Not a write; answers 200.
   */
  @Post('search')
  @HttpCode(200)
  async search(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<unknown> {
    const { q, limit, overdue, birthImminent, ...filters } = validateSearch(body === undefined ? {} : body);
    return this.queries.execute(
      new ListCasesQuery(principal, {
        ...filters,
        query: q,
        allowIdentity: true,
        overdue: overdue === true,
        birthImminent: birthImminent === true,
        limit: limit ?? 50,
      }),
    );
  }

  @Get(':id')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const { view, version } = await this.queries.execute(new GetCaseQuery(principal, caseId(id)));
    reply.header('etag', `"${version}"`);
    return view;
  }

  @Get(':id/events')
  async events(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<unknown> {
    return { events: await this.queries.execute(new GetCaseHistoryQuery(principal, caseId(id))) };
  }

  /** Who wrote what and who looked, with the case's hash chain checked; reading it is recorded too. */
  @Get(':id/audit')
  async audit(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<unknown> {
    return this.queries.execute(new GetCaseAuditQuery(principal, caseId(id)));
  }

  /**
   * The commands the caller may send on the case now, each with what is already known of its body
   * and the schema of the rest, so that a client can render the form. Not recorded as a read.
   */
  @Get(':id/actions')
  async actions(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<unknown> {
    const offers = await this.queries.execute(new GetCaseActionsQuery(principal, caseId(id)));
    return {
      actions: offers.map(({ command, ...offer }) => ({
        command,
        summary: COMMANDS[command].summary,
        ...offer,
        body: COMMANDS[command].body,
      })),
    };
  }

  @Get(':id/milestones')
  async milestones(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<unknown> {
    return { milestones: await this.queries.execute(new GetCaseMilestonesQuery(principal, caseId(id))) };
  }
}

function answer(result: WriteResult, reply: FastifyReply): unknown {
  reply.status(result.status).header('etag', `"${result.version}"`);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return result.body;
}
