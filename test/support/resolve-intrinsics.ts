/**
 * Turns the intrinsic functions of a synthesized policy into the strings CloudFormation would produce, so a
 * policy simulator can read it: pseudo parameters, Fn::Join, Ref and Fn::GetAtt Arn of the template's own
 * buckets and keys (a bucket without a literal name gets its logical id, lower-cased, as a stand-in name), and
 * cross-stack values (Fn::GetStackOutput, Fn::ImportValue) as `<OutputName>` stand-ins. Anything else throws:
 * a value the resolver does not understand must not become a silent pass.
 */

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where the template deploys. */
export interface DeployTarget {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** The stand-in name of a bucket of the template (its literal BucketName, else its lower-cased logical id). */
export function bucketNameOf(template: Json, logicalId: string): string {
  const name = template.Resources[logicalId]?.Properties?.BucketName;
  return typeof name === 'string' ? name : logicalId.toLowerCase();
}

/** The stand-in ARN of a key of the template. */
export function keyArnOf(target: DeployTarget, logicalId: string): string {
  return `arn:${target.partition}:kms:${target.region}:${target.account}:key/${logicalId.toLowerCase()}`;
}

/** Resolves every intrinsic in `value` (see the module comment). */
export function resolveIntrinsics(value: Json, template: Json, target: DeployTarget): Json {
  const resolve = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg = v[fn];
      if (fn === 'Ref') {
        const pseudo: Record<string, string> = {
          'AWS::Partition': target.partition,
          'AWS::AccountId': target.account,
          'AWS::Region': target.region,
          'AWS::URLSuffix': 'amazonaws.com',
        };
        if (pseudo[arg] !== undefined) return pseudo[arg];
        const resource = template.Resources[arg];
        if (resource?.Type === 'AWS::S3::Bucket') return bucketNameOf(template, arg);
        if (resource?.Type === 'AWS::KMS::Key') return arg.toLowerCase();
        throw new Error(`cannot resolve Ref ${arg}`);
      }
      if (fn === 'Fn::Join') return (resolve(arg[1]) as string[]).join(arg[0]);
      if (fn === 'Fn::GetAtt') {
        const [id, attr] = arg as [string, string];
        const type = template.Resources[id]?.Type;
        if (attr === 'Arn' && type === 'AWS::S3::Bucket')
          return `arn:${target.partition}:s3:::${bucketNameOf(template, id)}`;
        if (attr === 'Arn' && type === 'AWS::KMS::Key') return keyArnOf(target, id);
        throw new Error(`cannot resolve Fn::GetAtt ${id}.${attr}`);
      }
      if (fn === 'Fn::GetStackOutput') return `<${arg.OutputName}>`;
      if (fn === 'Fn::ImportValue') return `<${String(arg)}>`;
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(v[k])]));
  };
  return resolve(value);
}
