/**
 * Root tests import the service's sources, which resolve packages from the root node_modules; the
 * image installs the service's own lockfile. The two must agree on every package they share.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const SERVICE_DIR = join(ROOT, 'services/sample-api');

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface Lockfile {
  packages: Record<string, { version?: string }>;
}

const read = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const declared = (p: PackageJson): Record<string, string> => ({ ...p.dependencies, ...p.devDependencies });

const rootDeclared = declared(read<PackageJson>(join(ROOT, 'package.json')));
const serviceDeclared = declared(read<PackageJson>(join(SERVICE_DIR, 'package.json')));
const rootLock = read<Lockfile>(join(ROOT, 'package-lock.json'));
const serviceLock = read<Lockfile>(join(SERVICE_DIR, 'package-lock.json'));

/** The packages the brief requires to be shared (the service uses each at build or run time). */
const MUST_SHARE = [
  'pg',
  '@aws-sdk/rds-signer',
  '@aws-sdk/client-firehose',
  'selfsigned',
  'zod',
  'esbuild',
  'typescript',
];

describe('services/sample-api package versions', () => {
  test('every package the service declares that the root also declares has the same exact version', () => {
    const shared = Object.keys(serviceDeclared).filter((name) => name in rootDeclared);
    expect(shared).toEqual(expect.arrayContaining(MUST_SHARE));
    const differing = shared
      .filter((name) => serviceDeclared[name] !== rootDeclared[name])
      .map((name) => `${name}: service ${serviceDeclared[name]}, root ${rootDeclared[name]}`);
    expect(differing).toEqual([]);
  });

  test('versions are exact pins (no ranges) in the service package.json', () => {
    const ranged = Object.entries(serviceDeclared).filter(([, v]) => !/^\d+\.\d+\.\d+$/.test(v));
    expect(ranged).toEqual([]);
  });

  test('both lockfiles install the same version of each shared package, and the service lockfile matches its package.json', () => {
    for (const name of Object.keys(serviceDeclared)) {
      const inService = serviceLock.packages[`node_modules/${name}`]?.version;
      expect(`${name}@${inService}`).toBe(`${name}@${serviceDeclared[name]}`);
      if (name in rootDeclared) {
        expect(`${name}@${rootLock.packages[`node_modules/${name}`]?.version}`).toBe(`${name}@${inService}`);
      }
    }
  });
});
