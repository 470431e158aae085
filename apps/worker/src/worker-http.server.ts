import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';

export interface WorkerHttpAnswer {
  status: number;
  contentType?: string;
  body: string;
}

export type WorkerHttpHandler = (request: http.IncomingMessage) => Promise<WorkerHttpAnswer> | WorkerHttpAnswer;

/**
 * The worker's own small HTTP server (WORKER_PORT on HOST; none when 0): GET routes that providers
 * register before the application starts (health, metrics). Anything else is 404.
 */
@Injectable()
export class WorkerHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerHttp');
  private readonly routes = new Map<string, WorkerHttpHandler>();
  private server: http.Server | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Answers GET `path` (exactly, query ignored) with `handler`. */
  route(path: string, handler: WorkerHttpHandler): void {
    this.routes.set(path, handler);
  }

  /** The port it listens on, or null when it does not listen. */
  get port(): number | null {
    return (this.server?.address() as AddressInfo | null)?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.worker.httpPort) return;
    const server = http.createServer((request, response) => void this.answer(request, response));
    server.requestTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.worker.httpPort, this.config.host, () => resolve());
    });
    this.server = server;
    this.logger.log(`listening on ${this.config.host}:${this.port} (${[...this.routes.keys()].join(', ')})`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://worker').pathname;
    const handler = request.method === 'GET' ? this.routes.get(path) : undefined;
    let answer: WorkerHttpAnswer;
    try {
      answer = handler ? await handler(request) : { status: 404, body: '{"code":"NOT_FOUND"}' };
    } catch (error) {
      this.logger.error(`GET ${path} failed: ${error instanceof Error ? error.message : error}`);
      answer = { status: 500, body: '{"code":"INTERNAL"}' };
    }
    response.writeHead(answer.status, {
      'content-type': answer.contentType ?? 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    response.end(answer.body);
  }
}
