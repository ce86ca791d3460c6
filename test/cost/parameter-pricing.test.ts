import { estimateCost } from '../../lib/cost';
import { fixturePrices, stack } from './fixtures';

describe("Parameter Store parameters (the services' configuration)", () => {
  const prices = fixturePrices();
  const estimate = (properties: Record<string, unknown>) =>
    estimateCost([stack({ P: { Type: 'AWS::SSM::Parameter', Properties: properties } })], prices);

  test('a standard-tier parameter is free, with the reason', () => {
    const e = estimate({ Type: 'String', Tier: 'Standard', Value: 'api' });
    expect(e.notPriced).toEqual([]);
    expect(e.free.map((f) => f.reason)).toEqual([
      'standard-tier parameter: no charge (standard API throughput is free)',
    ]);
  });

  test.each([['Advanced'], ['Intelligent-Tiering'], [undefined]])(
    'Tier %s is not priced, never a silent zero (advanced parameters are charged; no Tier takes the account default)',
    (tier) => {
      const e = estimate({ Type: 'String', Value: 'api', ...(tier ? { Tier: tier } : {}) });
      expect(e.free).toEqual([]);
      expect(e.notPriced.map((n) => n.reason)).toEqual([expect.stringMatching(/^Tier = .*: an advanced parameter/)]);
    },
  );
});
