import { generate } from 'selfsigned';

/** A certificate and its private key, PEM, kept in memory only. */
export interface TlsCredentials {
  readonly cert: string;
  readonly key: string;
}

/** Validity of the generated certificate (the task is replaced long before; renewed at each start). */
export const CERTIFICATE_VALIDITY_DAYS = 365;

/**
 * A self-signed certificate for the container's HTTPS listener, generated at start into memory (no
 * file is written). The load balancer encrypts to its targets but does not validate their
 * certificates, so a self-signed one keeps the hop to the task encrypted (E3, end to end).
 */
export async function generateSelfSignedCertificate(now: Date = new Date()): Promise<TlsCredentials> {
  const notAfter = new Date(now.getTime() + CERTIFICATE_VALIDITY_DAYS * 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
