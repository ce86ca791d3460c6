/**
 * Evaluates the intrinsic functions of a template value the way CloudFormation would for a stack whose id
 * is `stackId` (Ref AWS::StackId, Fn::Split, Fn::Select, Fn::Join; Ref of pseudo-parameters given in `refs`),
 * so tests can read a name derived from the stack's creation id (constructs/core/stack-create-id.ts).
 * Anything else is returned as it is.
 */
export const TEST_STACK_ID =
  'arn:aws:cloudformation:us-east-1:123456789012:stack/hipaa-dev-app/1c2fa620-982a-11e3-aff7-50e2416294e0';

/** The stackCreateId() of TEST_STACK_ID. */
export const TEST_STACK_CREATE_ID = '1c2fa620';

export function evaluateWithStackId(
  value: unknown,
  stackId: string = TEST_STACK_ID,
  refs: Readonly<Record<string, string>> = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': '123456789012',
  },
): unknown {
  const go = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(go);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = o[k];
      if (k === 'Ref' && arg === 'AWS::StackId') return stackId;
      if (k === 'Ref' && typeof arg === 'string' && arg in refs) return refs[arg];
      if (k === 'Fn::Split') {
        const [sep, s] = go(arg) as [string, unknown];
        return typeof s === 'string' ? s.split(sep) : { [k]: [sep, s] };
      }
      if (k === 'Fn::Select') {
        const [i, list] = go(arg) as [number | string, unknown];
        return Array.isArray(list) ? list[Number(i)] : { [k]: [i, list] };
      }
      if (k === 'Fn::Join') {
        const [sep, parts] = go(arg) as [string, unknown[]];
        return parts.every((p) => typeof p === 'string') ? parts.join(sep) : { [k]: [sep, parts] };
      }
    }
    return Object.fromEntries(Object.entries(o).map(([key, val]) => [key, go(val)]));
  };
  return go(value);
}
