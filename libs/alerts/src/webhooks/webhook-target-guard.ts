import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { inRanges } from '@app/config';
import { Agent, type Dispatcher } from 'undici';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Resolves a host name to every address it has now (the system's resolver: `/etc/hosts`, then DNS). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** The error a guarded socket's lookup fails with when the name resolves to a refused address. */
export const WEBHOOK_ADDRESS_FORBIDDEN = 'WEBHOOK_ADDRESS_FORBIDDEN';

/** How long registration waits for a name to resolve before taking it as unresolvable. */
const REGISTRATION_LOOKUP_MS = 3_000;

/** ipaddr.js range names, as people read them; every range but `unicast` is refused. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  reserved: 'a reserved address',
  uniqueLocal: 'a unique-local address',
  deprecatedSiteLocal: 'a site-local address',
  teredo: 'a Teredo tunnel address',
  rfc6052: 'a local-use NAT64 address',
};

/** Cloud providers' instance metadata services, named in the refusal: the classic SSRF target. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200']);

/**
 * Why an IP address may not receive webhooks ("a loopback address (127.0.0.1)"), or null when it
 * may: only global unicast addresses may. IPv6 forms that carry an IPv4 address (mapped
 * `::ffff:a.b.c.d`, compatible `::a.b.c.d`, SIIT `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
 * `2002::/16`) are judged by the IPv4 address they carry. Not an IP address: refused as such.
 */
export function forbiddenAddress(address: string): string | null {
  let parsed: Address;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return `not an IP address (${address})`;
  }
  const embedded = embeddedIPv4(parsed);
  if (embedded) {
    const reason = forbiddenAddress(embedded.toString());
    return reason && `${reason.replace(/ \([^()]*\)$/, '')} (${embedded.toString()}, inside ${parsed.toString()})`;
  }
  const range = parsed.range();
  if (range === 'unicast') return null;
  const what = METADATA_ADDRESSES.has(parsed.toString())
    ? 'a cloud metadata address'
    : (RANGE_NAMES[range] ?? `a special-purpose address (${range})`);
  return `${what} (${parsed.toString()})`;
}

/** The IPv4 address an IPv6 address carries by a standard translation or tunnel, if any. */
function embeddedIPv4(address: Address): ipaddr.IPv4 | null {
  if (address.kind() === 'ipv4') return null;
  const v6 = address as ipaddr.IPv6;
  const p = v6.parts;
  const tail = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  switch (v6.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return tail(p[6], p[7]);
    case 'rfc6052':
      // 64:ff9b::/96 carries it in the last 32 bits; the local-use 64:ff9b:1::/48 is refused as a whole.
      return p[2] === 0 ? tail(p[6], p[7]) : null;
    case '6to4':
      return tail(p[1], p[2]);
    case 'unicast':
      // IPv4-compatible ::a.b.c.d (deprecated, yet routed to a.b.c.d by some stacks).
      return p.slice(0, 6).every((part) => part === 0) ? tail(p[6], p[7]) : null;
    default:
      return null;
  }
}

/**
 * Why a host name may not receive webhooks, or null: the cloud metadata names, anything under
 * `.internal` or `.localhost`, `localhost` itself, and single-label names (resolved through the
 * local search domains, so internal by nature). A trailing dot changes nothing.
 */
export function forbiddenHostName(hostname: string): string | null {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  if (name === 'metadata' || name === 'metadata.google.internal') return `a cloud metadata name (${name})`;
  if (name === 'localhost' || name.endsWith('.localhost')) return `a loopback name (${name})`;
  if (name.endsWith('.internal')) return `an internal name (${name})`;
  if (!name.includes('.')) return `a single-label name, resolved through the local search domains (${name})`;
  return null;
}

/** A refusal: the host, and why (its address class). */
export class WebhookTargetRefused extends Error {
  override readonly name = 'WebhookTargetRefused';
  readonly code = WEBHOOK_ADDRESS_FORBIDDEN;
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(
      `${host} is or resolves to ${reason}: webhooks go to public addresses only, or to hosts the operator allows in WEBHOOK_ALLOWED_HOSTS`,
    );
  }
}

/**
 * Keeps webhooks from reaching the service's own network (SSRF): loopback, private, link-local
 * (cloud metadata), unique-local, multicast and other non-public addresses are refused, by literal
 * address and by what a name resolves to, unless `WEBHOOK_ALLOWED_HOSTS` names the host (exactly,
 * any port) or holds its address in one of its ranges. Registration calls {@link refusal}; delivery
 * goes through {@link dispatcher}, whose sockets connect only to the addresses its lookup checked,
 * so a name that resolves elsewhere on the second asking (DNS rebinding) gains nothing.
 */
export class WebhookTargetGuard {
  private readonly names: Set<string>;
  private readonly ranges: string[];
  private agent: Agent | null = null;

  /** `allowed`: host names (lower case, no trailing dot) and CIDR ranges (`10.1.2.0/24`, `::1/128`). */
  constructor(
    allowed: readonly string[] = [],
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.names = new Set(allowed.filter((entry) => !entry.includes('/')));
    this.ranges = allowed.filter((entry) => entry.includes('/'));
  }

  /**
   * What can be told from a URL's host alone: a refused name or literal address throws; an
   * allowlisted host or a literal public address answers true (nothing to resolve, or to check
   * after resolving); a name whose addresses decide, false.
   */
  checkHost(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, '');
    const name = host.toLowerCase().replace(/\.+$/, '');
    if (this.names.has(name)) return true;
    if (ipaddr.isValid(host)) {
      this.checkAddress(host, host);
      return true;
    }
    const reason = forbiddenHostName(name);
    if (reason) throw new WebhookTargetRefused(name, reason);
    return false;
  }

  /** Throws when an address is refused and no allowlisted range holds it. */
  checkAddress(host: string, address: string): void {
    const reason = forbiddenAddress(address);
    if (reason && !this.allowlisted(address)) throw new WebhookTargetRefused(host, reason);
  }

  /**
   * At registration: why the URL's host may not receive webhooks, or null. A name is resolved and
   * refused if any of its addresses is. A name that does not resolve (yet) is accepted: the
   * receiver may not be in DNS yet, and every delivery checks again what it resolves to then.
   */
  async refusal(url: URL): Promise<WebhookTargetRefused | null> {
    try {
      if (this.checkHost(url.hostname)) return null;
      const addresses = await withTimeout(this.resolve(url.hostname), REGISTRATION_LOOKUP_MS).catch(() => []);
      for (const { address } of addresses) this.checkAddress(url.hostname, address);
      return null;
    } catch (error) {
      if (error instanceof WebhookTargetRefused) return error;
      throw error;
    }
  }

  /**
   * A socket lookup that resolves with the guard's resolver, fails with a {@link WebhookTargetRefused}
   * if any address is refused, and hands the socket exactly the addresses it checked.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const answer = async (): Promise<LookupAddress[]> => {
      if (this.checkHost(hostname)) return this.resolve(hostname);
      const addresses = await this.resolve(hostname);
      for (const { address } of addresses) this.checkAddress(hostname, address);
      return addresses;
    };
    answer().then(
      (addresses) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = addresses.filter((a) => !family || a.family === family);
        if (!usable.length) {
          const error = Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' });
          callback(error, '', 0);
        } else if (options.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };

  /** The dispatcher deliveries use: its connections are made through {@link lookup}. */
  dispatcher(): Dispatcher {
    this.agent ??= new Agent({ connect: { lookup: this.lookup } });
    return this.agent;
  }

  async close(): Promise<void> {
    await this.agent?.close();
    this.agent = null;
  }

  private allowlisted(address: string): boolean {
    return inRanges(address, this.ranges);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
