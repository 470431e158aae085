import type { LookupAddress } from 'node:dns';
import { forbiddenAddress, forbiddenHostName, WebhookTargetGuard, type Resolver } from './webhook-target-guard';

/** A resolver from a fixed table; a name it does not hold does not resolve. */
const table =
  (names: Record<string, string[]>): Resolver =>
  async (hostname) => {
    const addresses = names[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('forbiddenAddress', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'cloud metadata'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'site-local'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2001::1', 'Teredo'],
    ['[::1]', 'loopback'],
  ])('refuses %s as %s', (address, why) => {
    expect(forbiddenAddress(address)).toContain(why);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows the public address %s', (address) => {
    expect(forbiddenAddress(address)).toBeNull();
  });

  it('names the address an IPv6 form carries', () => {
    expect(forbiddenAddress('::ffff:7f00:1')).toBe('a loopback address (127.0.0.1, inside ::ffff:7f00:1)');
  });

  it('refuses what is not an address', () => {
    expect(forbiddenAddress('example.org')).toContain('not an IP address');
  });
});

describe('forbiddenHostName', () => {
  it.each([
    'metadata.google.internal',
    'METADATA.Google.Internal.',
    'metadata',
    'anything.internal',
    'ip-10-0-0-1.ec2.internal',
    'localhost',
    'localhost.',
    'api.localhost',
    'intranet',
  ])('refuses %s', (name) => {
    expect(forbiddenHostName(name)).not.toBeNull();
  });

  it.each(['example.org', 'hooks.example.org.', 'internal.example.org', 'localhost.example.org'])(
    'allows %s',
    (name) => {
      expect(forbiddenHostName(name)).toBeNull();
    },
  );
});

describe('WebhookTargetGuard.refusal (registration)', () => {
  const resolver = table({
    'public.example': ['93.184.215.14', '2a00:1450:4001:80b::200e'],
    'loopback.example': ['127.0.0.1'],
    'mixed.example': ['93.184.215.14', '10.1.2.3'],
    'v6-loopback.example': ['::1'],
    'onprem.example': ['10.1.2.3'],
    'sub.onprem.example': ['10.1.2.4'],
  });
  const strict = new WebhookTargetGuard([], resolver);
  const refusal = async (guard: WebhookTargetGuard, url: string) => (await guard.refusal(new URL(url)))?.reason ?? null;

  // Each literal form the WHATWG URL parser turns into 127.0.0.1 (or keeps as an IPv6 loopback).
  it.each([
    ['http://127.0.0.1/h', '127.0.0.1', 'loopback'],
    ['http://2130706433/h', '127.0.0.1', 'loopback'],
    ['http://0x7f000001/h', '127.0.0.1', 'loopback'],
    ['http://0x7F.0.0.1/h', '127.0.0.1', 'loopback'],
    ['http://0177.0.0.1/h', '127.0.0.1', 'loopback'],
    ['http://127.1/h', '127.0.0.1', 'loopback'],
    ['http://0/h', '0.0.0.0', 'unspecified'],
    ['http://0.0.0.0/h', '0.0.0.0', 'unspecified'],
    ['http://[::1]/h', '[::1]', 'loopback'],
    ['http://[::ffff:127.0.0.1]/h', '[::ffff:7f00:1]', 'loopback'],
    ['http://[::ffff:7f00:1]/h', '[::ffff:7f00:1]', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/h', '[::1]', 'loopback'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254', 'cloud metadata'],
    ['http://10.0.0.1/h', '10.0.0.1', 'private'],
    ['http://[fd00::1]/h', '[fd00::1]', 'unique-local'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal', 'cloud metadata'],
    ['http://metadata/h', 'metadata', 'cloud metadata'],
    ['http://LOCALHOST./h', 'localhost.', 'loopback name'],
    ['http://loopback.example/h', 'loopback.example', 'loopback'],
    ['http://v6-loopback.example/h', 'v6-loopback.example', 'loopback'],
    ['http://mixed.example/h', 'mixed.example', 'private'],
  ])('refuses %s (host %s) as %s', async (url, host, why) => {
    expect(new URL(url).hostname).toBe(host);
    expect(await refusal(strict, url)).toContain(why);
  });

  it('accepts a public address, and a name all of whose addresses are public', async () => {
    expect(await refusal(strict, 'https://93.184.215.14/h')).toBeNull();
    expect(await refusal(strict, 'https://[2a00:1450:4001:80b::200e]/h')).toBeNull();
    expect(await refusal(strict, 'https://public.example/h')).toBeNull();
  });

  it('accepts a name that does not resolve (yet): every delivery checks again', async () => {
    expect(await refusal(strict, 'https://not-yet-in-dns.example/h')).toBeNull();
  });

  it('the message says which host and which address class', async () => {
    const refused = await strict.refusal(new URL('http://user@mixed.example:8443/h?token=t'));
    expect(refused?.message).toBe(
      'mixed.example is or resolves to a private address (10.1.2.3): webhooks go to public addresses only, or to hosts the operator allows in WEBHOOK_ALLOWED_HOSTS',
    );
  });

  describe('WEBHOOK_ALLOWED_HOSTS', () => {
    const onPremises = new WebhookTargetGuard(['onprem.example', '127.0.0.1/32', '10.20.0.0/16', 'fd00::/8'], resolver);

    it('lets an allowlisted name through whatever it resolves to, matched exactly and case-insensitively', async () => {
      expect(await refusal(onPremises, 'https://onprem.example/h')).toBeNull();
      expect(await refusal(onPremises, 'https://OnPrem.Example./h')).toBeNull();
      expect(await refusal(onPremises, 'https://onprem.example:8443/h')).toBeNull();
      expect(await refusal(onPremises, 'https://sub.onprem.example/h')).toContain('private');
      expect(await refusal(strict, 'https://onprem.example/h')).toContain('private');
    });

    it('lets addresses in an allowlisted range through, in every literal form, and no others', async () => {
      expect(await refusal(onPremises, 'http://127.0.0.1:4000/h')).toBeNull();
      expect(await refusal(onPremises, 'http://2130706433/h')).toBeNull();
      expect(await refusal(onPremises, 'http://[::ffff:127.0.0.1]/h')).toBeNull();
      expect(await refusal(onPremises, 'http://10.20.3.4/h')).toBeNull();
      expect(await refusal(onPremises, 'http://[fd00::5]/h')).toBeNull();
      expect(await refusal(onPremises, 'http://loopback.example/h')).toBeNull();
      expect(await refusal(onPremises, 'http://127.0.0.2/h')).toContain('loopback');
      expect(await refusal(onPremises, 'http://10.21.0.1/h')).toContain('private');
      expect(await refusal(onPremises, 'http://[::1]/h')).toContain('loopback');
      expect(await refusal(onPremises, 'http://169.254.169.254/h')).toContain('cloud metadata');
    });

    it('an allowlisted address does not unlock a name refused by name', async () => {
      expect(await refusal(onPremises, 'http://localhost/h')).toContain('loopback name');
    });
  });
});
