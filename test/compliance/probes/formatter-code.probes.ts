import { one, Probe, Templates } from './probe';

/** The alert formatter (its code built from lambda/alert-formatter): every alarm and tamper rule goes through it. */
const formatter = (t: Templates) =>
  one(t, 'alerting', 'AWS::Lambda::Function', (r) =>
    JSON.stringify(r.Metadata ?? {}).includes('AlertPipeline/Formatter'),
  )[1].Properties;

/**
 * The attacker review of the alert formatter's code: the gate does not read JavaScript, so the formatter must run the
 * code the blueprint built, a file asset of the cloud assembly. Each mutation replaced it and passed.
 */
export const PROBES: readonly Probe[] = [
  {
    name: 'V2 D3 U6 the alert formatter replaced by an inline stub that only logs the heartbeat (Code.ZipFile)',
    safeguards: ['V2', 'D3', 'U6'],
    mutate: (t) => {
      const p = formatter(t);
      p.Code = { ZipFile: "exports.handler=async()=>{console.log('alert-path-heartbeat')}" };
      p.Handler = 'index.handler';
    },
    caughtBy: /AssemblyDeploysAsChecked\[\w+::code-inline\]/,
  },
  {
    name: "V2 D3 U6 the alert formatter's code read from a bucket outside the assembly",
    safeguards: ['V2', 'D3', 'U6'],
    mutate: (t) => (formatter(t).Code.S3Bucket = 'attacker-code-bucket'),
    caughtBy: /AssemblyDeploysAsChecked\[\w+::code-outside-assembly-bucket\]/,
  },
  {
    name: "V2 D3 U6 the alert formatter with another account's layer",
    safeguards: ['V2', 'D3', 'U6'],
    mutate: (t) => (formatter(t).Layers = ['arn:aws:lambda:us-east-1:999999999999:layer:wrap:1']),
    caughtBy: /AssemblyDeploysAsChecked\[\w+::layers\]/,
  },
  {
    name: 'V2 D3 U6 the alert formatter wrapped by an exec wrapper (AWS_LAMBDA_EXEC_WRAPPER)',
    safeguards: ['V2', 'D3', 'U6'],
    mutate: (t) => (formatter(t).Environment.Variables.AWS_LAMBDA_EXEC_WRAPPER = '/opt/wrap'),
    caughtBy: /AssemblyDeploysAsChecked\[\w+::code-loading-environment\]/,
  },
];
