/** Who and where from the load balancer's headers (synthetic values only). */
import {
  clientIpFromHeaders,
  requestIdFromHeaders,
  userAgentFromHeaders,
  userIdFromHeaders,
} from '../../../../services/sample-api/src/access-audit';

describe('userIdFromHeaders', () => {
  test('the OIDC sub from x-amzn-oidc-identity', () => {
    expect(userIdFromHeaders({ 'x-amzn-oidc-identity': '8f14e45f-ceea-467f-a0e6-1e5f3f0c9b21' })).toBe(
      '8f14e45f-ceea-467f-a0e6-1e5f3f0c9b21',
    );
  });
  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['an e-mail address', 'jane.doe@example.com'],
    ['a name', 'Jane Doe'],
    ['too long', 'a'.repeat(129)],
    ['repeated', ['a1', 'b2']],
  ])('null when %s', (_name, value) => {
    expect(userIdFromHeaders({ 'x-amzn-oidc-identity': value })).toBeNull();
  });
});

describe('clientIpFromHeaders', () => {
  test('the right-most hop: the one the load balancer appended', () => {
    expect(clientIpFromHeaders({ 'x-forwarded-for': '203.0.113.99, 198.51.100.23' }, '10.0.0.5')).toBe('198.51.100.23');
  });
  test('with two trusted proxies, the second hop from the right', () => {
    expect(clientIpFromHeaders({ 'x-forwarded-for': '203.0.113.99, 198.51.100.23, 192.0.2.1' }, undefined, 2)).toBe(
      '198.51.100.23',
    );
  });
  test('the socket peer when there is no header; IPv4-mapped addresses recorded as IPv4', () => {
    expect(clientIpFromHeaders({}, '::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientIpFromHeaders({}, '2001:db8::17')).toBe('2001:db8::17');
  });
  test('null when the chosen hop is not an address or there are too few hops', () => {
    expect(clientIpFromHeaders({ 'x-forwarded-for': 'unknown' }, '10.0.0.5')).toBeNull();
    expect(clientIpFromHeaders({ 'x-forwarded-for': '198.51.100.23' }, '10.0.0.5', 2)).toBeNull();
  });
  test('refuses a trustedProxies count below 1', () => {
    expect(() => clientIpFromHeaders({}, undefined, 0)).toThrow('trustedProxies = 0: must be an integer >= 1');
  });
});

describe('userAgentFromHeaders', () => {
  test('control characters replaced, cut to 256', () => {
    expect(userAgentFromHeaders({ 'user-agent': 'UA/1.0\u0007\u2028x' })).toBe('UA/1.0??x');
    expect(userAgentFromHeaders({ 'user-agent': 'x'.repeat(300) })).toHaveLength(256);
    expect(userAgentFromHeaders({})).toBeNull();
  });
});

describe('requestIdFromHeaders', () => {
  test('only the Root of the trace header', () => {
    expect(
      requestIdFromHeaders({
        'x-amzn-trace-id': 'Self=1-67891234-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678;Note=Jane',
      }),
    ).toBe('1-67891233-abcdef012345678912345678');
  });
  test('generated when the header is missing or has no valid Root', () => {
    expect(requestIdFromHeaders({}, () => 'fixed')).toBe('req-fixed');
    expect(requestIdFromHeaders({ 'x-amzn-trace-id': 'Root=Jane Doe' }, () => 'fixed')).toBe('req-fixed');
  });
});
