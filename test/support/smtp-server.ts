import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/**
 * A real SMTP server for a test on a free local port (no log, no TLS). A sender that goes away
 * mid-session (a worker killed while it sends) resets its connection: the server reports that as
 * an 'error' event, which without a listener would end the test process ("read ECONNRESET").
 */
export async function startSmtpServer(options: SMTPServerOptions): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({ logger: false, ...options });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port };
}
