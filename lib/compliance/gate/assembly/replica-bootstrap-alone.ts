import { stackName } from '../../../config/names';
import { declaresPhiReplicaBootstrap, typesBeyondPhiReplicaBootstrap } from '../core/phi-shapes';
import { AssemblyStack, templateDeclaration } from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'ReplicaBootstrapAlone';

/**
 * The findings on every template declaring phiReplicaBootstrap that is not step 1 of a first deploy: one template,
 * alone in its assembly, holding only what PhiReplicaBootstrapStage synthesizes, as the PHI replica stack of the
 * environment it declares (its name from the declaration's app and environment names, its region config's replica
 * region where config is known).
 */
function declarationFindings(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyFinding[] {
  const findings: AssemblyFinding[] = [];
  for (const stack of stacks) {
    if (!declaresPhiReplicaBootstrap(stack.template)) continue;
    const add = (id: string, why: string): void => {
      findings.push(
        finding(
          NAME,
          `Declaration::${id}`,
          stack,
          undefined,
          `Stack ${stack.stackName} declares phiReplicaBootstrap (step 1 of a first deploy: presence rules off, the PHI replica bucket not a PHI store) but ${why}; only PhiReplicaBootstrapStage's replica stack, synthesized alone, is step 1 (U1, D2, I1, I2)`,
        ),
      );
    };
    if (stacks.length > 1) {
      add('not-alone', `its assembly holds ${stacks.length} stacks`);
    }
    const beyond = typesBeyondPhiReplicaBootstrap(stack.template);
    if (beyond.length > 0) {
      add('holds-more', `it holds ${beyond.join(', ')}, which the replica stack's first deploy does not`);
    }
    const declared = templateDeclaration(stack.template);
    const appName = declared?.appName;
    const envName = declared?.envName;
    const expected =
      typeof appName === 'string' && typeof envName === 'string'
        ? stackName({ appName, envName }, 'phiReplica')
        : undefined;
    if (expected === undefined) {
      add('no-environment', 'it names no app and environment (appName, envName) to be the PHI replica stack of');
    } else if (stack.stackName !== expected) {
      add('not-the-replica-stack', `its stack name is not ${expected}, the PHI replica stack's`);
    }
    const region = context.phiReplicaRegion;
    if (region !== undefined && stack.region !== region) {
      add(
        'not-the-replica-region',
        `it deploys to ${stack.region ?? 'no named region'}, not to the replica region ${region}`,
      );
    }
  }
  return findings;
}

/**
 * Whether the assembly is step 1 of a first deploy, for which presence rules wait until step 2: a template declares
 * phiReplicaBootstrap and ReplicaBootstrapAlone has nothing to say about it.
 */
export function isReplicaBootstrapAssembly(stacks: readonly AssemblyStack[], context: AssemblyContext): boolean {
  return (
    stacks.some((s) => declaresPhiReplicaBootstrap(s.template)) && declarationFindings(stacks, context).length === 0
  );
}

/**
 * U1 D2 I1 I2: the first-deploy declaration (`phiReplicaBootstrap`) switches every presence rule off and exempts the
 * unwritable PHI replica bucket from the PHI store shape, so it is believed only where it is true: the PHI replica
 * stack alone, as PhiReplicaBootstrapStage builds it. Anywhere else it is a finding (and the presence rules run):
 * added to a template of a whole environment, to one template a fork merged everything into, or to a stack of
 * another name or region.
 */
export const ReplicaBootstrapAlone: AssemblyRule = {
  name: NAME,
  info: 'A template declares phiReplicaBootstrap (step 1 of a first deploy) but is not the PHI replica stack synthesized alone with nothing but its keys, buckets and copy vault.',
  explanation:
    'Audit controls and security incident procedures (164.312(b), 164.308(a)(6)(ii)), data backup plan (164.308(a)(7)(ii)(A)): the declaration switches off the rules that require the trail, the detection services and the alarms, and exempts the replica bucket from the PHI store rules; believed anywhere, it switches them off for a whole environment.',
  safeguards: ['U1', 'D2', 'I1', 'I2'],
  hipaaSections: ['164.312(b)', '164.308(a)(6)(ii)', '164.308(a)(7)(ii)(A)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    return { findings: declarationFindings(stacks, context), evaluated: stacks.length };
  },
};
