/**
 * What a cloud assembly's manifest deploys, as the gate reviews it without reading a template (assembly-loader.ts
 * reviewAssembly): the types shared by the loader (check-template) and the assembly rules (AssemblyDeploysAsChecked at
 * synth), in core: the assembly rules do not import the gate's folder, which imports them.
 */

/**
 * One reason `cdk deploy --app DIR` would deploy otherwise than the gate judged the assembly in DIR (or why that
 * cannot be said): a finding of Blueprint-AssemblyDeploysAsChecked at synth, a refusal of check-template (exit 2).
 */
export interface ManifestProblem {
  /** The file or folder it is in: a manifest.json, an asset manifest, an asset's source, an assembly folder. */
  readonly where: string;
  /**
   * What kind of problem, the suffix of its finding id: e.g. 'assumeRoleArn::another-account', 'parameters',
   * 'template-object::other-source', 'construct-path', 'environment', 'stack-name::twice', 'file::unreadable'.
   */
  readonly kind: string;
  /** The stack artifact it is about, when it is one artifact's. */
  readonly artifactId?: string;
  /** That artifact's construct path (its displayName), when it is a string. */
  readonly stackPath?: string;
  /** What is wrong, as a clause naming the artifact: 'the stack artifact X deploys with the role ...'. */
  readonly problem: string;
  /** CDK never writes it so (check-template's refusal then adds "the manifest was edited"). */
  readonly edited: boolean;
}

/** A stack artifact of the manifest: where its template is and where it deploys (not its template: not read here). */
export interface ManifestStack {
  /** The artifact id, e.g. 'ProdKeys76E19F6C'. */
  readonly artifactId: string;
  /** The folder of the (nested) assembly whose manifest lists it. */
  readonly dir: string;
  /** Its template file, relative to `dir`. */
  readonly file: string;
  readonly stackName: string;
  /** Its construct path (displayName), when it is a string. */
  readonly path?: string;
  readonly account: string;
  readonly region: string;
}

/** What the manifest of a cloud assembly (and of its nested assemblies) deploys, read without its templates. */
export interface ManifestReview {
  /** The stack artifacts whose template is there and whose environment names an account and a region, in order. */
  readonly stacks: readonly ManifestStack[];
  /** Every stack artifact of the manifests (those without a template or an environment too). */
  readonly stackArtifacts: number;
  /** What would make `cdk deploy --app DIR` deploy otherwise than what was checked; empty when nothing would. */
  readonly problems: readonly ManifestProblem[];
}
