import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { metricsAllowed, renderMetrics } from '@app/observability';
import { WorkerHttpServer } from './worker-http.server';

/**
 * GET /metrics on the worker's own port (WORKER_PORT), with the API's access rule: the peer's
 * address in METRICS_ALLOWED_ADDRESSES, or the METRICS_TOKEN bearer; anyone else gets 404.
 */
@Injectable()
export class WorkerMetrics implements OnModuleInit {
  constructor(
    @Inject(WorkerHttpServer) private readonly http: WorkerHttpServer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.http.route('/metrics', async (request) => {
      if (!metricsAllowed(this.config.metrics, request.socket.remoteAddress, request.headers.authorization))
        return { status: 404, body: '{"code":"NOT_FOUND"}' }; // what any unknown route gets
      const { contentType, body } = await renderMetrics();
      return { status: 200, contentType, body };
    });
  }
}
