import { AssemblyRule, AssemblyFinding, finding } from './assembly-rule';

/**
 * The rule packs judge the construct tree's typed properties. A raw override (`addPropertyOverride`,
 * `addPropertyDeletionOverride`, `addOverride('Properties...')`) changes what deploys without changing them, and a
 * resource made as a plain CfnResource has no typed properties the packs' rules read: without this rule, an override
 * that removed a database's storage encryption or a function's dead-letter queue passed `cdk synth` while
 * `check-template` refused the same template. Each such resource is checked again by the packs as its stack's
 * template renders it (included with CfnInclude, the rest of the template around it, the register's
 * acknowledgements honoured as check-template honours them), and every finding stands.
 */
export const PacksSeeOverrides: AssemblyRule = {
  name: 'PacksSeeOverrides',
  info: 'A resource the rule packs did not judge as it deploys (a raw property override, or a plain CfnResource of an AWS type) has a finding of a pack when checked as its template renders it.',
  explanation:
    'cdk-nag reads the typed properties of the construct tree; an escape-hatch override bypasses them. The resource is checked with the packs on its rendered template, as check-template does. Fix the finding in the override (or use the typed property), or acknowledge it in the register.',
  safeguards: ['V2'],
  hipaaSections: ['164.308(b)', '164.316'],
  check: (stacks, context) => {
    const overrides = context.overrides;
    const findings: AssemblyFinding[] = [];
    let evaluated = 0;
    if (overrides === undefined) return { findings, evaluated };
    for (const stack of stacks) {
      const resources = overrides.byStack.get(stack.path ?? '');
      if (resources === undefined || resources.size === 0) continue;
      evaluated += resources.size;
      for (const f of overrides.checkWithPacks(stack, [...resources.keys()])) {
        findings.push(
          finding(
            'PacksSeeOverrides',
            f.ruleId,
            stack,
            f.logicalId,
            `${f.logicalId} (${resources.get(f.logicalId) ?? 'rechecked'}) as the template renders it: ${f.ruleId}: ${f.description}`,
          ),
        );
      }
    }
    return { findings, evaluated };
  },
};
