import { AssemblyStack } from '../core/template-json';
import { AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'AssemblyDeploysAsChecked';

/**
 * V2: `cdk deploy --app DIR` deploys what the gate judged. The manifest a stack's synthesizer writes decides how deploy
 * reads the assembly: the roles it assumes (`assumeRoleArn`) and hands CloudFormation (`cloudFormationExecutionRoleArn`)
 * decide the account the stack lands in, whatever its environment says; `stackTemplateAssetObjectUrl` and the asset
 * manifests decide which file (or a command's output) is uploaded and deployed as its template; manifest `parameters`
 * are passed to CloudFormation. A fork configuring a synthesizer (`DefaultStackSynthesizer({ deployRoleArn })`, a
 * custom one) changes them without changing a template. The manifest's review is one implementation
 * (assembly-loader.ts reviewAssembly): check-template refuses an assembly with any of these problems (exit 2) but a
 * template object key that is not its content's hash (a template edited by hand: judged here, with the rules'
 * findings), and at synth each is a finding here, on the stack whose artifact it is (the first stack for a problem of the assembly).
 */
export const AssemblyDeploysAsChecked: AssemblyRule = {
  name: NAME,
  info: "The cloud assembly's manifest would make `cdk deploy --app` deploy otherwise than the templates the gate checked: a deploy or execution role of another account than the stack's environment, a template object uploaded from another file, built by a command, outside the stack's region or under a key that is not its content's SHA-256, another asset landing on it, an asset built by a command, manifest parameters, a stack property outside the allow-list (notification topics, stack tags, STS options, another account's lookup role, a lowered bootstrap version), termination protection off on a stack that retains resources, legacy asset metadata, two artifacts deploying one stack, or a manifest that cannot be read.",
  explanation:
    "Every safeguard is judged on the templates as the synth wrote them; the manifest decides which account deploys them, with what parameters, and which object is deployed as each template (164.308(a)(1)(ii)(D), 164.312(b), 164.308(b)(1)). Give the stack's synthesizer its environment's account's bootstrap roles (or leave them to DefaultStackSynthesizer), deploy the template file the synthesizer wrote, and set no manifest parameters; `npm run check-template -- cdk.out` refuses such an assembly too.",
  safeguards: ['V2'],
  hipaaSections: ['164.308(a)(1)(ii)(D)', '164.312(b)', '164.308(b)(1)'],
  check(stacks, context) {
    const review = context.manifest;
    const findings: AssemblyFinding[] = [];
    if (review === undefined) return { findings, evaluated: 0 };
    // A problem of the whole assembly (no stack artifact named) lands on its first stack.
    const fallback: AssemblyStack = stacks[0] ?? {
      stackName: '(assembly)',
      file: 'manifest.json',
      template: { Resources: {} },
    };
    for (const p of review.problems) {
      const stack = (p.stackPath !== undefined ? stacks.find((s) => s.path === p.stackPath) : undefined) ?? fallback;
      const what = `${p.problem.charAt(0).toUpperCase()}${p.problem.slice(1)}`;
      const where = `${p.stackPath !== undefined ? ` (stack ${p.stackPath})` : ''}, in ${p.where}`;
      findings.push(
        finding(
          NAME,
          p.kind,
          stack,
          undefined,
          `${what}${where}: \`cdk deploy --app\` of this assembly would not deploy what the gate judged (V2)`,
        ),
      );
    }
    return { findings, evaluated: review.stackArtifacts };
  },
};
