import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DatabaseAvailability } from '@app/persistence';
import { toApiError } from './api-error';

/**
 * Answers every error thrown in a route with the API's error shape. An unreachable database is told
 * to DatabaseAvailability, which logs the outage once and probes until it is back.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(DatabaseAvailability) private readonly database: DatabaseAvailability) {}

  catch(error: unknown, host: ArgumentsHost): void {
    this.database.failed(error);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, headers } = toApiError(error);
    reply
      .status(status)
      .headers({ ...headers, 'content-type': 'application/json; charset=utf-8' })
      .send(body);
  }
}
