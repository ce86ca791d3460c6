import { StackEnvironmentsNamed } from '../../../../lib/compliance/gate/assembly/stack-environments-named';
import { AssemblyStack } from '../../../../lib/compliance/gate/core/template-json';
import { asAssembly, fixtureTemplates, PHI_BUCKET } from './assembly-fixture';

/** The rule's findings on the fixture assembly after `edit` changes its stacks, as '<finding suffix> <stack name>'. */
function findingsOn(edit: (stacks: AssemblyStack[]) => AssemblyStack[], account?: string): string[] {
  return StackEnvironmentsNamed.check(edit(asAssembly(fixtureTemplates())), {
    phiBucketNames: [PHI_BUCKET],
    ...(account !== undefined ? { account } : {}),
  })
    .findings.map((f) => `${f.ruleId.slice('Blueprint-StackEnvironmentsNamed'.length)} ${f.stack.stackName}`)
    .sort();
}

const without = (stack: AssemblyStack, key: 'account' | 'region'): AssemblyStack => {
  const copy: { -readonly [K in keyof AssemblyStack]: AssemblyStack[K] } = { ...stack };
  delete copy[key];
  return copy;
};

describe('StackEnvironmentsNamed', () => {
  test('V2 D3 every stack naming one account and its region (the replica stack another region) passes', () => {
    const stacks = asAssembly(fixtureTemplates());
    expect(new Set(stacks.map((s) => s.region)).size).toBe(2);
    expect(findingsOn((s) => s)).toEqual([]);
  });

  test.each<[string, (stacks: AssemblyStack[]) => AssemblyStack[], string[]]>([
    [
      'an environment-agnostic stack (no account, no region)',
      (s) => s.map((x) => (x.stackName === 'app-prod-phiReplica' ? without(without(x, 'account'), 'region') : x)),
      ['[account+region::not-named] app-prod-phiReplica'],
    ],
    [
      'a stack without a region',
      (s) => s.map((x) => (x.stackName === 'app-prod-alerting' ? without(x, 'region') : x)),
      ['[region::not-named] app-prod-alerting'],
    ],
    [
      'a stack without an account',
      (s) => s.map((x) => (x.stackName === 'app-prod-data' ? without(x, 'account') : x)),
      ['[account::not-named] app-prod-data'],
    ],
    [
      "a stack in another account (its event bus is another account's)",
      (s) => s.map((x) => (x.stackName === 'app-prod-phiReplica' ? { ...x, account: '999999999999' } : x)),
      ['[account::another] app-prod-phiReplica'],
    ],
  ])('V2 D3 %s is a finding', (_name, edit, expected) => {
    expect(findingsOn(edit)).toEqual(expected);
  });

  test("V2 D3 the environment's account (config) decides: every stack of another account is a finding, however many", () => {
    const stacks = asAssembly(fixtureTemplates());
    expect(findingsOn((s) => s, '123456789012')).toEqual([]);
    expect(findingsOn((s) => s, '999999999999')).toEqual(stacks.map((s) => `[account::another] ${s.stackName}`).sort());
  });

  test('V2 D3 without the configured account, the account most stacks name decides; on a tie, the first stack in order', () => {
    const two = (s: AssemblyStack[]) => s.slice(0, 2).map((x, i) => (i === 1 ? { ...x, account: '999999999999' } : x));
    const [first, second] = asAssembly(fixtureTemplates());
    expect(findingsOn(two)).toEqual([`[account::another] ${second!.stackName}`]);
    expect(first!.account).toBe('123456789012');
  });
});
