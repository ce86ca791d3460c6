import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The repository root: services[].buildDirectory is relative to it, wherever the app is run from (`cdk synth`
 * in the root, the deploy commands, the tests).
 */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/** A relative path inside the repository: segments of letters, digits and `_ . -`, none of them `.` or `..`. */
export const BUILD_DIRECTORY = /^(?!(?:.*\/)?\.{1,2}(?:\/|$))[A-Za-z0-9_.-]+(?:\/(?!\.{1,2}(?:\/|$))[A-Za-z0-9_.-]+)*$/;

/** The absolute path of a service's build directory. */
export function resolveBuildDirectory(directory: string, root: string = PROJECT_ROOT): string {
  return resolve(root, directory);
}

/**
 * Why `directory` (relative to `root`) cannot be built into an image, or undefined when it can: it must exist,
 * be a directory and hold a `Dockerfile`. The one configuration rule that reads the file system.
 */
export function buildDirectoryProblem(directory: string, root: string = PROJECT_ROOT): string | undefined {
  const path = resolveBuildDirectory(directory, root);
  try {
    if (!existsSync(path)) return `does not exist under the repository root (${root})`;
    if (!statSync(path).isDirectory()) return 'is not a directory';
    if (!existsSync(join(path, 'Dockerfile')))
      return 'has no Dockerfile: the image is built from <buildDirectory>/Dockerfile';
  } catch (e) {
    return `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return undefined;
}
