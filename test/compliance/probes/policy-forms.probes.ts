import { isDomainKey, Json, one, Probe, Templates } from './probe';

/** The PHI data key (keys stack). */
const phiKey = (t: Templates): Json => one(t, 'keys', 'AWS::KMS::Key', isDomainKey('phi'))[1];

/** The network stack's endpoint whose logical id starts with `prefix` (PhiVpcS3, PhiVpcEndpointsns). */
const endpoint = (t: Templates, prefix: string): Json =>
  one(t, 'network', 'AWS::EC2::VPCEndpoint', (_r, id) => id.startsWith(prefix))[1];

/** Another account's root: the principal a grant outside the configured principals names. */
const OUTSIDE = { AWS: 'arn:aws:iam::222222222222:root' };
const OPEN = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });

/**
 * Policy documents written in the other forms CloudFormation accepts: the same JSON as a string (which the service
 * parses), or a string only deploy resolves (`Fn::Sub` with variables). The attacker review of 2026-12-03 found the
 * key and endpoint policy rules reading only objects: both forms passed with everything granted.
 */
export const PROBES: readonly Probe[] = [
  {
    name: 'E1 the PHI key policy written as Fn::Sub of its JSON, with kms:* for another account added',
    safeguards: ['E1'],
    mutate: (t) => {
      const key = phiKey(t);
      const policy = key.Properties.KeyPolicy;
      policy.Statement.push({ Sid: 'Ops', Effect: 'Allow', Principal: OUTSIDE, Action: 'kms:*', Resource: '*' });
      key.Properties.KeyPolicy = { 'Fn::Sub': [JSON.stringify(policy), { Partition: { Ref: 'AWS::Partition' } }] };
    },
    caughtBy: /KmsKeySafeguards\[KeyPolicy::only-deploy-resolves\]/,
  },
  {
    name: 'E1 the PHI key policy written as a JSON string, with kms:* for another account added',
    safeguards: ['E1'],
    mutate: (t) => {
      const key = phiKey(t);
      const policy = key.Properties.KeyPolicy;
      // The shipped statements name principals with intrinsics; a string holds only literals: the added grant alone.
      key.Properties.KeyPolicy = JSON.stringify({
        Version: policy.Version,
        Statement: [{ Sid: 'Ops', Effect: 'Allow', Principal: OUTSIDE, Action: 'kms:*', Resource: '*' }],
      });
    },
    caughtBy: /KeyUseByNamedPrincipals\[KeyPolicy::Statement0-whole-account-use\]/,
  },
  {
    name: 'E1 the PHI key policy removed (KMS then applies its default: the whole account may use it)',
    safeguards: ['E1'],
    mutate: (t) => delete phiKey(t).Properties.KeyPolicy,
    caughtBy: /KeyUseByNamedPrincipals\[KeyPolicy::absent\]/,
  },
  {
    name: "N3 U6 the PHI VPC's S3 gateway endpoint policy written as a JSON string allowing everything",
    safeguards: ['N3', 'U6'],
    mutate: (t) => (endpoint(t, 'PhiVpcS3').Properties.PolicyDocument = OPEN),
    caughtBy: /VpcEndpointPolicyThisAccount\[Statement0-any-resource\]/,
  },
  {
    name: "N3 U6 the PHI VPC's SNS interface endpoint policy written as Fn::Sub allowing everything",
    safeguards: ['N3', 'U6'],
    mutate: (t) =>
      (endpoint(t, 'PhiVpcEndpointsns').Properties.PolicyDocument = {
        'Fn::Sub': [OPEN, { Account: { Ref: 'AWS::AccountId' } }],
      }),
    caughtBy: /VpcEndpointPolicyThisAccount\[PolicyDocument::only-deploy-resolves\]/,
  },
  {
    // The second review of 2026-12-03: no rule read a Principal written as an intrinsic.
    name: 'E1 the operations key\'s administration given to a Principal chosen by Fn::If ("*" when a condition holds)',
    safeguards: ['E1'],
    mutate: (t) => {
      t.keys!.Conditions = { Open: { 'Fn::Equals': ['open', 'open'] } };
      one(t, 'keys', 'AWS::KMS::Key', isDomainKey('operations'))[1].Properties.KeyPolicy.Statement.push({
        Effect: 'Allow',
        Principal: { 'Fn::If': ['Open', '*', { AWS: 'arn:aws:iam::222222222222:root' }] },
        Action: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'],
        Resource: '*',
      });
    },
    caughtBy: /KmsKeySafeguards\[KeyPolicy::statement-only-deploy-resolves\]/,
  },
];
