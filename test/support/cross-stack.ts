import { Stack } from 'aws-cdk-lib';
import { Match, Matcher } from 'aws-cdk-lib/assertions';

/**
 * Matches a reference to another stack's value as `cdk synth` renders it with cdk.json's
 * `@aws-cdk/core:defaultCrossStackReferences: "weak"`: `Fn::GetStackOutput` naming the producing
 * stack, its region and an output whose name matches `output` (the producer's construct id and
 * attribute, e.g. 'OperationsKey.*Arn'). Exact on the arguments: no RoleArn, so a same-account read.
 */
export function stackOutputOf(producer: Stack, output: string): Matcher {
  return Match.objectEquals({
    'Fn::GetStackOutput': Match.objectEquals({
      StackName: producer.stackName,
      Region: producer.region,
      OutputName: Match.stringLikeRegexp(output),
    }),
  });
}

/**
 * Matches a weak cross-stack reference to an output whose name matches `output`, from whichever
 * stack produces it (for tests that build the producer in a fixture).
 */
export function stackOutputNamed(output: string): Matcher {
  return Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp(output) }) });
}
