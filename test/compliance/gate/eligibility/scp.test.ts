import {
  buildEligibilityScp,
  renderEligibilityScp,
  renderScp,
  SCP_MAX_CHARS,
} from '../../../../lib/compliance/gate/eligibility/scp';

/** Minimal SCP evaluator: is `action` explicitly denied by a Deny statement (Action/NotAction globs)? */
function isDenied(policy: { Statement: readonly Record<string, unknown>[] }, action: string): boolean {
  const matches = (pattern: string): boolean =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    ).test(action);
  const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);
  return policy.Statement.filter((s) => s.Effect === 'Deny').some((s) =>
    s.NotAction !== undefined ? !list(s.NotAction).some(matches) : list(s.Action).some(matches),
  );
}

describe('eligibility SCP', () => {
  const policy = buildEligibilityScp();
  const json = renderEligibilityScp();

  test('fits the SCP size limit and is minified', () => {
    expect(json.length).toBeLessThanOrEqual(SCP_MAX_CHARS);
    expect(json).not.toMatch(/\s/);
    expect(JSON.parse(json)).toEqual(policy);
  });

  test('is one condition-free Deny with NotAction prefixes', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement).toEqual({
      Sid: 'DenyNonHipaaEligibleServices',
      Effect: 'Deny',
      NotAction: expect.arrayContaining(['kms:*', 's3:*', 'iam:*', 'sts:*', 'health:*']),
      Resource: '*',
    });
    expect(statement!.NotAction.every((a) => /^[a-z0-9-]+:\*$/.test(a))).toBe(true);
    expect(statement).not.toHaveProperty('Condition');
  });

  test.each(['lightsail:CreateInstances', 'gamelift:CreateFleet', 'scheduler:CreateSchedule', 'kmsx:Decrypt'])(
    'denies %s',
    (action) => expect(isDenied(policy, action)).toBe(true),
  );

  test.each([
    'kms:Decrypt',
    's3:GetObject',
    'KMS:decrypt',
    'iam:PassRole',
    'sts:AssumeRole',
    'application-autoscaling:RegisterScalableTarget',
    'cloudformation:CreateStack',
  ])('does not deny %s', (action) => expect(isDenied(policy, action)).toBe(false));

  test('renderScp throws with the number of characters over the limit', () => {
    const tooBig = { Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(SCP_MAX_CHARS) }] };
    const over = JSON.stringify(tooBig).length - SCP_MAX_CHARS;
    expect(() => renderScp(tooBig)).toThrow(`SCP is ${over} characters over the 5120-character limit`);
  });
});
