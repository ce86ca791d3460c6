import { Token } from 'aws-cdk-lib';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PhiServiceParameterValue } from './phi-service';

/** Props of a ServiceConfiguration. */
export interface ServiceConfigurationProps {
  /** Parameter Store path of the service's parameters, e.g. `/hipaa-dev/api` (no trailing `/`). */
  readonly path: string;
  /**
   * The configuration, by UPPER_SNAKE_CASE variable name. Values may be tokens (e.g. a database endpoint from
   * another stack); a literal value must not be empty (Parameter Store stores no empty value: leave the
   * variable out instead) and at most 4096 characters (standard tier). Configuration only, never a secret
   * or PHI: a String parameter is stored unencrypted and readable by anyone allowed ssm:GetParameters on it.
   */
  readonly values: Readonly<Record<string, string>>;
}

/** Parameter Store paths: `/` and segments of letters, digits and `_ . -`. */
const PATH = /^(\/[A-Za-z0-9_.-]+)+$/;
/** Environment variable names. */
const VARIABLE = /^[A-Z_][A-Z0-9_]*$/;
/** Longest value of a standard-tier parameter. */
const MAX_VALUE_LENGTH = 4096;

/**
 * The configuration of one service as SSM Parameter Store String parameters, one per variable at
 * `<path>/<VARIABLE>`, for PhiService to inject into the container through the task definition's `secrets`
 * (never plain `environment`, AwsSolutions-ECS2). The task execution role reads exactly these parameters
 * (PhiService grants ssm:GetParameters on them); the application itself gets no Parameter Store permission.
 * The tasks reach Parameter Store through the `ssm` interface endpoint.
 */
export class ServiceConfiguration extends Construct {
  /** The parameters, by variable name. */
  public readonly parameters: Readonly<Record<string, StringParameter>>;

  constructor(scope: Construct, id: string, props: ServiceConfigurationProps) {
    super(scope, id);
    const where = `ServiceConfiguration ${this.node.path}`;
    if (!PATH.test(props.path)) {
      throw new Error(
        `${where}: path = '${props.path}': must be a Parameter Store path such as /app-env/service (segments of letters, digits, _ . -; no trailing /)`,
      );
    }
    const names = Object.keys(props.values);
    if (names.length === 0) throw new Error(`${where}: values = {}: must hold at least one variable`);
    const parameters: Record<string, StringParameter> = {};
    for (const [name, value] of Object.entries(props.values)) {
      if (!VARIABLE.test(name)) {
        throw new Error(`${where}: values.${name}: variable names must be UPPER_SNAKE_CASE`);
      }
      if (!Token.isUnresolved(value) && (value.length === 0 || value.length > MAX_VALUE_LENGTH)) {
        throw new Error(
          `${where}: values.${name} = '${value.slice(0, 40)}': must be 1-${MAX_VALUE_LENGTH} characters (Parameter Store stores no empty value; leave the variable out)`,
        );
      }
      parameters[name] = new StringParameter(this, name, {
        parameterName: `${props.path}/${name}`,
        description: `${props.path}: ${name} (service configuration, not secret)`,
        stringValue: value,
        tier: ParameterTier.STANDARD,
      });
    }
    this.parameters = parameters;
  }

  /** The parameters as PhiServiceProps.secrets entries, by variable name. */
  public containerSecrets(): Record<string, PhiServiceParameterValue> {
    return Object.fromEntries(Object.entries(this.parameters).map(([name, parameter]) => [name, { parameter }]));
  }
}
