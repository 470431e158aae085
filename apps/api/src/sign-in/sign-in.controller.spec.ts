import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { QueryBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { APP_CONFIG, Clock, loadConfig } from '@app/config';
import { ORGANISATIONS } from '@app/pathway';
import { DatabaseAvailability } from '@app/persistence';
import { testNow } from '@test/support/time';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { configureHttp } from '../http/configure-http';
import { SignInController } from './sign-in.controller';

/**
 * The development sign-in answers only its own machine. The API binds to loopback whenever it is
 * on, so no other machine can reach it in a system test: here the real controller runs in a Nest
 * app on Fastify, and requests come through Fastify's inject with the peer address a socket from
 * elsewhere would have.
 */
describe('the development sign-in, by peer address', () => {
  let app: NestFastifyApplication;
  let dataDir: string;
  const body = { role: 'admin', organisation: 'municipality:851', sub: 'mallory' };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-sign-in-'));
    const config = loadConfig({
      DATABASE_URL: 'postgres://pathway@127.0.0.1/pathway',
      REDIS_URL: 'redis://127.0.0.1:6379',
      CPR_ENCRYPTION_KEY: 'ab'.repeat(32),
      CPR_INDEX_KEY: 'cd'.repeat(32),
      DATA_DIR: dataDir,
      DEV_SIGN_IN: 'true',
    });
    const moduleRef = await Test.createTestingModule({
      controllers: [SignInController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: { now: testNow } },
        { provide: DatabaseAvailability, useValue: new DatabaseAvailability() },
        // The organisations table as a fresh installation has it (facilities.e2e-spec signs in at one added later).
        { provide: QueryBus, useValue: { execute: async () => ORGANISATIONS } },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
      bodyParser: false, // configureHttp installs the JSON parser, as in main.ts
    });
    configureHttp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const inject = (method: 'GET' | 'POST', url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ method, url, remoteAddress, headers, ...(method === 'POST' && { payload: body }) });

  it.each(['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'])('signs in a caller on loopback (%s)', async (peer) => {
    const signed = await inject('POST', '/v1/sign-in/local', peer);
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toEqual({ token: expect.any(String), expiresAt: expect.any(String) });
    expect((await inject('GET', '/v1/sign-in', peer)).json()).toMatchObject({
      local: { roles: expect.arrayContaining(['admin']) },
    });
  });

  it.each(['10.1.2.3', '192.168.1.20', '::ffff:10.1.2.3', '2001:db8::1'])(
    'refuses a caller from elsewhere (%s) with 403 DEV_SIGN_IN_LOOPBACK_ONLY, and does not offer it',
    async (peer) => {
      const refused = await inject('POST', '/v1/sign-in/local', peer);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({
        code: 'DEV_SIGN_IN_LOOPBACK_ONLY',
        message: expect.stringContaining('npm run token'),
      });
      expect(refused.json()).not.toHaveProperty('token');
      expect((await inject('GET', '/v1/sign-in', peer)).json()).toEqual({ local: null, oidc: null });
    },
  );

  it('believes the socket, not X-Forwarded-For or X-Real-IP', async () => {
    const forged = { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1', forwarded: 'for=127.0.0.1' };
    const refused = await inject('POST', '/v1/sign-in/local', '10.1.2.3', forged);
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'DEV_SIGN_IN_LOOPBACK_ONLY']);
    expect((await inject('GET', '/v1/sign-in', '10.1.2.3', forged)).json().local).toBeNull();
  });
});
