import { canonicalUrl } from './canonical-url';

describe('canonicalUrl', () => {
  it.each([
    ['/%761/cases', '/v1/cases'],
    ['/%76%31/sign-in/local', '/v1/sign-in/local'],
    ['/admin/%71ueues/api/queues', '/admin/queues/api/queues'],
    ['/v1/cases?reference=%76', '/v1/cases?reference=%76'],
    ['/%7e%5F%2D', '/~_-'],
  ])('decodes unreserved characters of the path: %s → %s', (url, canonical) => {
    expect(canonicalUrl(url)).toBe(canonical);
  });

  it.each(['/v1/cases/%2F..%2Fx', '/app/%2e%2e/%2e%2e/etc/passwd', '/v1/cases/%20', '/v1/%E2%82%AC', '/v1/cases'])(
    'leaves reserved characters, dots, spaces and non-ASCII encoded: %s',
    (url) => {
      expect(canonicalUrl(url)).toBe(url);
    },
  );
});
