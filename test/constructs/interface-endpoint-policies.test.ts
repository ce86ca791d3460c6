import { App, Stack } from 'aws-cdk-lib';
import {
  interfaceEndpointStatements,
  RESOURCE_LESS_ENDPOINT_ACTIONS,
} from '../../constructs/interface-endpoint-policies';
import { INTERFACE_ENDPOINT_SERVICES } from '../../constructs/interface-endpoint-services';

const json = (endpoint: string) =>
  interfaceEndpointStatements(endpoint, '123456789012').map((s) =>
    Stack.of(new Stack(new App())).resolve(s.toStatementJson()),
  );

describe('interface endpoint policies', () => {
  test("N3 every endpoint admits this account's principals on this account's resources", () => {
    for (const endpoint of Object.keys(INTERFACE_ENDPOINT_SERVICES)) {
      expect(json(endpoint)[0]).toEqual({
        Sid: 'ThisAccountPrincipalsOnThisAccountResources',
        Effect: 'Allow',
        Principal: '*',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012', 'aws:ResourceAccount': '123456789012' } },
      });
    }
  });

  test("N3 resource-less actions are listed one by one, for this account's principals only", () => {
    expect(json('ecr.api')[1]).toEqual({
      Sid: 'ThisAccountPrincipalsResourceLessActions',
      Effect: 'Allow',
      Principal: '*',
      Action: 'ecr:GetAuthorizationToken',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } },
    });
    expect(json('sns')).toHaveLength(1);
    for (const [endpoint, actions] of Object.entries(RESOURCE_LESS_ENDPOINT_ACTIONS)) {
      expect(Object.keys(INTERFACE_ENDPOINT_SERVICES)).toContain(endpoint);
      expect(actions.filter((a) => /[*?]/.test(a))).toEqual([]);
    }
  });

  test('N3 refuses an account that is not a 12-digit id', () => {
    expect(() => interfaceEndpointStatements('sns', '12345')).toThrow(
      "interface endpoint sns: account = '12345': must be a 12-digit account id (the endpoint policy names it)",
    );
  });
});
