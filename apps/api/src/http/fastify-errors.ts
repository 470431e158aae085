import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { HttpException } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpConfig } from '@app/config';
import { toApiError } from './api-error';
import { securityHeaders, setSecurityHeaders } from './security-headers';

/**
 * Fastify options that keep the errors fastify answers by itself, before any route or Nest sees the
 * request, in the API's error shape and with the API's security headers: a malformed URL, a path
 * segment over the router's limit (`frameworkErrors`), a request line or headers Node cannot read,
 * too large, or too slow to arrive (`clientErrorHandler`).
 */
export const fastifyErrorOptions = (http: HttpConfig) => ({
  frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    const { body } = toApiError(new HttpException(error.code, status));
    setSecurityHeaders(request.url, reply.raw, http.hstsMaxAgeS);
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  },

  clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify(toApiError(new HttpException(error.code ?? 'client error', status)).body);
    const headers = Object.entries(securityHeaders(undefined, http.hstsMaxAgeS))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}Connection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  },
});
