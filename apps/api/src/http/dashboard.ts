import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@app/config';

/** Where the build puts the dashboard (vite, apps/dashboard): dist/dashboard beside dist/apps/api. */
export const DASHBOARD_DIR = path.resolve(__dirname, '..', '..', 'dashboard');

/**
 * Serves the coordinators' dashboard under /app (no token: the page holds no data; every call it
 * makes needs one) with a strict content security policy: its files, and the page itself for every
 * other path under /app (the page's own routes, such as the alert links' /app/cases/<id>).
 * `/` and `/app` lead to it.
 */
export async function serveDashboard(
  app: NestFastifyApplication,
  config: AppConfig,
  dir = DASHBOARD_DIR,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const idp = config.signIn.oidc ? ` ${new URL(config.signIn.oidc.authority).origin}` : '';
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${idp}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    `form-action 'self'${idp}`,
  ].join('; ');
  fastify.get('/', (_request, reply) => reply.redirect('/app/'));
  fastify.get('/app', (_request, reply) => reply.redirect('/app/'));
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    fastify.get('/app/*', (_request, reply) =>
      reply.code(404).send({
        code: 'DASHBOARD_NOT_BUILT',
        message: 'the dashboard is not built: run `npm run build` (npm start does it)',
      }),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/app/',
    index: 'index.html',
    // A route per file found at start (the build's files do not change while it runs); the rest is the page.
    wildcard: false,
    // Hashed asset names: cached for a year; index.html is always revalidated.
    setHeaders: (reply, file) => {
      reply.header('content-security-policy', csp);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('cache-control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
  fastify.get('/app/*', (request, reply) => {
    // A missing asset is a 404, not the page: a stale tab asking for an old bundle should fail clearly.
    if (request.url.startsWith('/app/assets/'))
      return reply.code(404).send({ code: 'NOT_FOUND', message: 'no such file' });
    return reply.sendFile('index.html');
  });
}
