import type { Client } from './stack';
import { inDays } from './time';

/** A valid register-concern body: due in 150 days (week 18), Aalborg, from a GP. */
export const concern = (extra: Record<string, unknown> = {}) => ({
  estimatedDueDate: inDays(150),
  municipality: '851',
  referrer: { kind: 'gp' },
  substances: ['alcohol'],
  ...extra,
});

/** Registers a concern and returns the case id; fails the test on anything but 201. */
export async function register(
  client: Client,
  body: Record<string, unknown> = concern(),
  headers?: Record<string, string>,
): Promise<string> {
  const res = await client.post('/v1/cases', body, headers);
  if (res.status !== 201) throw new Error(`register-concern → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Sends a command (asking for the case back) and returns its answer; fails the test on anything but 200 with a matching ETag. */
export async function send(client: Client, id: string, command: string, body: Record<string, unknown> = {}) {
  const res = await client.post(`/v1/cases/${id}/${command}`, body, { prefer: 'return=representation' });
  if (res.status !== 200) throw new Error(`${command} → ${res.status} ${JSON.stringify(res.body)}`);
  if (res.headers.get('etag') !== `"${res.body.version}"`)
    throw new Error(`${command}: ETag ${res.headers.get('etag')} is not version ${res.body.version}`);
  return res.body as { version: number; events: { version: number; type: string }[]; case: Record<string, any> };
}
