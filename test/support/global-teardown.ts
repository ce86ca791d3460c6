/**
 * Jest globalTeardown: removes the synthesized assembly when the globalSetup made it temporary
 * (HIPAA_TEST_SYNTH_CACHE=off, or a failed synth, which is never cached). Cache entries stay.
 */
import { rmSync } from 'fs';
import { TEMPORARY_DIR_ENV } from './global-setup';

export default function globalTeardown(): void {
  const dir = process.env[TEMPORARY_DIR_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
