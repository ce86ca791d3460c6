import { readFileSync } from 'fs';
import { join } from 'path';
import { z } from 'zod';

/** A resource of a synthesized CloudFormation template (the fields the checks read). */
export interface TemplateResource {
  readonly Type: string;
  /** @default - no properties */
  readonly Properties?: Readonly<Record<string, unknown>>;
  /** @default - Delete (CloudFormation's default) */
  readonly DeletionPolicy?: string;
  /** @default - Delete (CloudFormation's default) */
  readonly UpdateReplacePolicy?: string;
}

/** A synthesized CloudFormation template. */
export interface Template {
  /** @default - no resources */
  readonly Resources?: Readonly<Record<string, TemplateResource>>;
  /** @default - no outputs */
  readonly Outputs?: Readonly<Record<string, unknown>>;
}

/** One stack of the synthesized cloud assembly. */
export interface AssemblyStack {
  /** Artifact id in manifest.json (e.g. ProdData90A795AA). */
  readonly artifactId: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** The id the CDK CLI selects the stack by (`Prod/Data`): `cdk import`, `cdk destroy` take this, not the stack name. */
  readonly displayName: string;
  readonly account: string;
  readonly region: string;
  readonly template: Template;
  /**
   * Minimum CDK bootstrap stack version the stack's deploy needs (manifest `requiresBootstrapStackVersion`).
   * @default - the manifest declares none (preflight warns)
   */
  readonly requiresBootstrapStackVersion?: number;
  /**
   * SSM parameter holding the bootstrap version of the region (manifest `bootstrapStackVersionSsmParameter`).
   * @default - the manifest declares none (preflight warns)
   */
  readonly bootstrapStackVersionSsmParameter?: string;
  readonly terminationProtection: boolean;
}

/** The synthesized cloud assembly of one environment (`npx cdk synth -c env=NAME`). */
export interface SynthesizedAssembly {
  readonly directory: string;
  readonly stacks: readonly AssemblyStack[];
}

const STACK_ARTIFACT = z.object({
  type: z.literal('aws:cloudformation:stack'),
  displayName: z.string().min(1).optional(),
  environment: z.string().regex(/^aws:\/\/[^/]+\/[^/]+$/, 'must be aws://ACCOUNT/REGION'),
  properties: z.object({
    templateFile: z.string().min(1),
    stackName: z.string().min(1).optional(),
    terminationProtection: z.boolean().optional(),
    requiresBootstrapStackVersion: z.number().int().optional(),
    bootstrapStackVersionSsmParameter: z.string().optional(),
  }),
});

const MANIFEST = z.object({ artifacts: z.record(z.string(), z.object({ type: z.string() }).loose()) });

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file}: cannot be read (did the synth step run?)`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${file}: is not valid JSON`);
  }
}

function problem(file: string, issues: readonly z.core.$ZodIssue[]): Error {
  const first = issues[0];
  return new Error(`${file}: ${first.path.join('.') || '(root)'}: ${first.message}`);
}

/**
 * Reads the stacks of a synthesized cloud assembly: names, environments, bootstrap requirements and
 * templates. Throws an error naming the file and the field when the assembly is not what CDK writes.
 */
export function readAssembly(directory: string): SynthesizedAssembly {
  const manifestFile = join(directory, 'manifest.json');
  const manifest = MANIFEST.safeParse(readJson(manifestFile));
  if (!manifest.success) throw problem(manifestFile, manifest.error.issues);
  const stacks: AssemblyStack[] = [];
  for (const [artifactId, raw] of Object.entries(manifest.data.artifacts)) {
    if (raw.type !== 'aws:cloudformation:stack') continue;
    const parsed = STACK_ARTIFACT.safeParse(raw);
    if (!parsed.success) {
      throw problem(`${manifestFile} artifacts.${artifactId}`, parsed.error.issues);
    }
    const { environment, properties, displayName } = parsed.data;
    const [account, region] = environment.slice('aws://'.length).split('/');
    const templateFile = join(directory, properties.templateFile);
    const template = readJson(templateFile) as Template;
    if (typeof template !== 'object' || template === null) throw new Error(`${templateFile}: not a template`);
    stacks.push({
      artifactId,
      stackName: properties.stackName ?? artifactId,
      displayName: displayName ?? artifactId,
      account,
      region,
      template,
      requiresBootstrapStackVersion: properties.requiresBootstrapStackVersion,
      bootstrapStackVersionSsmParameter: properties.bootstrapStackVersionSsmParameter,
      terminationProtection: properties.terminationProtection ?? false,
    });
  }
  if (stacks.length === 0) throw new Error(`${manifestFile}: holds no stack`);
  return { directory, stacks };
}

/** The resources of a stack's template, as [logicalId, resource] pairs. */
export function resourcesOf(stack: AssemblyStack): Array<[string, TemplateResource]> {
  return Object.entries(stack.template.Resources ?? {});
}

/** The stack of the assembly with this name, if synthesized. */
export function findStack(assembly: SynthesizedAssembly, stackName: string): AssemblyStack | undefined {
  return assembly.stacks.find((s) => s.stackName === stackName);
}

/** Whether any stack of the assembly holds a resource of this type. */
export function hasResourceType(assembly: SynthesizedAssembly, type: string): boolean {
  return assembly.stacks.some((s) => resourcesOf(s).some(([, r]) => r.Type === type));
}
