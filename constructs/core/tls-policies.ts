import { SslPolicy } from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/**
 * Safeguard E3: the only Elastic Load Balancing security policies an HTTPS listener may use.
 * Each negotiates TLS 1.3 and TLS 1.2 only (no TLS 1.0/1.1) with forward-secret AEAD ciphers
 * ("Res" = restricted cipher list; FIPS = FIPS 140 validated modules; PQ = hybrid post-quantum key
 * exchange). Kept as data: a reviewer reads the list here, the project rule AlbTlsPolicyAllowList enforces it.
 */
export const ALLOWED_TLS_POLICIES: readonly string[] = [
  SslPolicy.RECOMMENDED_TLS, // ELBSecurityPolicy-TLS13-1-2-2021-06
  SslPolicy.TLS13_RES, // ELBSecurityPolicy-TLS13-1-2-Res-2021-06
  SslPolicy.TLS13_13, // ELBSecurityPolicy-TLS13-1-3-2021-06 (TLS 1.3 only)
  SslPolicy.TLS13_12_PQ,
  SslPolicy.TLS13_12_RES_PQ,
  SslPolicy.TLS13_13_PQ,
  SslPolicy.FIPS_TLS13_12,
  SslPolicy.FIPS_TLS13_12_RES,
  SslPolicy.FIPS_TLS13_13,
  SslPolicy.FIPS_TLS13_12_PQ,
  SslPolicy.FIPS_TLS13_12_RES_PQ,
  SslPolicy.FIPS_TLS13_13_PQ,
];

/** The policy the blueprint's load balancer uses: TLS 1.3 and 1.2, restricted forward-secret AEAD ciphers. */
export const DEFAULT_TLS_POLICY = SslPolicy.TLS13_RES;
