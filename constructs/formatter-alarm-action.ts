import { Names, Stack } from 'aws-cdk-lib';
import { AlarmActionConfig, IAlarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * A CloudWatch alarm action that invokes a Lambda function directly, for alarms in OTHER stacks.
 *
 * `LambdaAction` from aws-cloudwatch-actions puts the invoke permission next to the function, so an
 * alarm in another stack makes the function's stack reference the alarm while the alarm references
 * the function: a dependency cycle. Here the permission lives next to the alarm (references flow one
 * way: alarm stack -> function stack), one permission per alarm, each limited to that alarm's ARN and account.
 */
export class FormatterAlarmAction implements IAlarmAction {
  constructor(private readonly fn: IFunction) {}

  public bind(_scope: Construct, alarm: IAlarm): AlarmActionConfig {
    const id = `InvokeFormatter${Names.uniqueId(alarm)}`;
    if (alarm.node.tryFindChild(id) === undefined) {
      this.fn.addPermission(id, {
        scope: alarm,
        principal: new ServicePrincipal('lambda.alarms.cloudwatch.amazonaws.com'),
        action: 'lambda:InvokeFunction',
        sourceAccount: Stack.of(alarm).account,
        sourceArn: alarm.alarmArn,
      });
    }
    return { alarmActionArn: this.fn.functionArn };
  }
}
