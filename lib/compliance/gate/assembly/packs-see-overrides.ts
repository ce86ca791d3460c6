import { AssemblyRule, AssemblyFinding, finding } from './assembly-rule';

/**
 * The rule packs judge the construct tree's typed properties. Any raw override (`addPropertyOverride`,
 * `addPropertyDeletionOverride`, `addOverride`, `addDeletionOverride`) changes what deploys without changing them; a
 * resource whose class is not exactly its type's generated L1 class (a plain CfnResource; a subclass of CfnResource; a
 * subclass of the L1, which can render other properties than the typed ones; the L1 class cdk-nag's rules do not test,
 * where aws-cdk-lib generates two for its type: an aws-eks-v2 cluster, nag-tested-l1.ts) is not judged as it renders;
 * nor is a resource holding its own function over a method or accessor of its class (`r._toCloudFormation = ...`), nor
 * any resource of a stack that renders, resolves or writes its template its own way (a Stack class's
 * `_toCloudFormation` or `resolve`, a synthesizer not exactly aws-cdk-lib's), but the blueprint's own wrappers
 * (core/render-overrides.ts); nor a resource that is in the written template and not in the tree (a fork's CfnElement
 * rendering its own Resources), or in the tree and not in the template. Without this rule, an override that removed a
 * database's storage encryption or a function's dead-letter queue passed `cdk synth` while `check-template` refused
 * the same template. The stack of each such resource is checked again by the packs as its template renders it,
 * exactly as check-template checks it (every resource: a finding may land on a sibling, as a VPC's flow-log finding
 * does when its flow log is overridden), with the construct tree's paths (not the template's metadata, which an
 * override can forge) for the register's acknowledgements, and every finding stands. A nested stack's template is not
 * read: such a resource there is a finding. Not caught at synth: a token whose value differs between the packs'
 * reading and the template's rendering, and a change to an aws-cdk-lib class's prototype (every instance alike);
 * `npm run deploy` runs check-template on every template synth wrote, which sees both.
 */
export const PacksSeeOverrides: AssemblyRule = {
  name: 'PacksSeeOverrides',
  info: 'A stack holding a resource the rule packs did not judge as it deploys (a raw override, an AWS resource whose class is not exactly its L1 class, a function of its own over its class method, or a stack that renders its template its own way) has a finding of a pack when its template is checked as it renders.',
  explanation:
    'cdk-nag reads the typed properties of the construct tree; an escape-hatch override bypasses them. The stack holding the resource is checked with the packs on its rendered template, as check-template does. Fix the finding in the override (or use the typed property), or acknowledge it in the register.',
  safeguards: ['V2'],
  hipaaSections: ['164.308(b)', '164.316'],
  check: (stacks, context) => {
    const overrides = context.overrides;
    const findings: AssemblyFinding[] = [];
    let evaluated = 0;
    if (overrides === undefined) return { findings, evaluated };
    for (const [path, resources] of overrides.byStack) {
      evaluated += resources.size;
      const stack = stacks.find((s) => s.path === path);
      if (stack === undefined) {
        // A nested stack (or any stack whose template the gate is not given): its template cannot be rechecked.
        const parent = stacks.find((s) => path.startsWith(`${s.path ?? ''}/`)) ?? stacks[0];
        if (parent === undefined) continue;
        findings.push(
          finding(
            'PacksSeeOverrides',
            'unreadable-stack',
            parent,
            undefined,
            `${path} holds ${[...resources.keys()].join(', ')}, which the packs did not judge as they deploy, in a template the gate does not read (a nested stack): use typed properties there, or a stack of the stage.`,
          ),
        );
        continue;
      }
      for (const f of overrides.checkWithPacks(stack)) {
        const why = resources.get(f.logicalId);
        findings.push(
          finding(
            'PacksSeeOverrides',
            f.ruleId,
            stack,
            f.logicalId,
            `${f.logicalId}${why ? ` (${why})` : ''} as the template renders it: ${f.ruleId}: ${f.description}`,
          ),
        );
      }
    }
    return { findings, evaluated };
  },
};
