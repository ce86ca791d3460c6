import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

/** Minified size of one Lambda function's bundle, read from the synthesized asset directory. */
export interface BundleSize {
  readonly templateFile: string;
  readonly logicalId: string;
  /** `aws:cdk:path` of the function when the template records it. */
  readonly constructPath?: string;
  readonly assetDir: string;
  /** Bytes of index.js (or the handler file), the code Lambda loads. */
  readonly indexJsBytes: number;
  /** Bytes of index.js.map (0 when there is none). */
  readonly sourceMapBytes: number;
  /** Bytes of every other file in the asset (e.g. a custom-resource entry point). */
  readonly otherBytes: number;
}

interface TemplateResource {
  readonly Type?: string;
  readonly Metadata?: Record<string, unknown>;
}

/** Bundle sizes of every AWS::Lambda::Function whose code is a local asset directory of `assemblyDir`. */
export function lambdaBundleSizes(assemblyDir: string): BundleSize[] {
  const out: BundleSize[] = [];
  for (const templateFile of readdirSync(assemblyDir)
    .filter((f) => f.endsWith('.template.json'))
    .sort()) {
    const template = JSON.parse(readFileSync(join(assemblyDir, templateFile), 'utf8')) as {
      Resources?: Record<string, TemplateResource>;
    };
    for (const [logicalId, r] of Object.entries(template.Resources ?? {})) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const assetPath = r.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') continue;
      const assetDir = join(assemblyDir, assetPath);
      if (!existsSync(assetDir) || !statSync(assetDir).isDirectory()) continue;
      let indexJsBytes = 0;
      let sourceMapBytes = 0;
      let otherBytes = 0;
      for (const file of readdirSync(assetDir, { recursive: true }) as string[]) {
        const full = join(assetDir, file);
        if (!statSync(full).isFile()) continue;
        const size = statSync(full).size;
        if (file === 'index.js') indexJsBytes = size;
        else if (file === 'index.js.map') sourceMapBytes = size;
        else otherBytes += size;
      }
      const constructPath = r.Metadata?.['aws:cdk:path'];
      out.push({
        templateFile,
        logicalId,
        ...(typeof constructPath === 'string' ? { constructPath } : {}),
        assetDir: assetPath,
        indexJsBytes,
        sourceMapBytes,
        otherBytes,
      });
    }
  }
  return out;
}
