import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { HttpException } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from './api-error';

/**
 * Fastify options that keep the errors fastify answers by itself, before any route or Nest sees the
 * request, in the API's error shape: a malformed URL, a path segment over the router's limit
 * (`frameworkErrors`), a request line or headers Node cannot read, or too large (`clientErrorHandler`).
 */
export const fastifyErrorOptions = {
  frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    const { body } = toApiError(new HttpException(error.code, status));
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  },

  clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify(toApiError(new HttpException(error.code ?? 'client error', status)).body);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  },
};
