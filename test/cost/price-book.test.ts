import { readFileSync } from 'fs';
import { join } from 'path';
import { money, PriceBook, PriceTableError, unitPrice } from '../../lib/cost';

const shipped = (): Record<string, unknown> & { prices: Record<string, Record<string, unknown>> } =>
  JSON.parse(readFileSync(join(__dirname, '../../lib/cost/prices/us-east-1.json'), 'utf8'));

describe('PriceBook', () => {
  test('the shipped table is valid, dated, 730 h, and every price names an AWS pricing page', () => {
    const book = PriceBook.load();
    expect(book.table.pricesTakenOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(book.hoursPerMonth).toBe(730);
    for (const [id, p] of Object.entries(book.table.prices)) {
      expect([id, p.source]).toEqual([
        id,
        expect.stringMatching(/^https:\/\/aws\.amazon\.com\/[a-z0-9-]+\/(?:[a-z0-9-]+\/)?pricing\/$/),
      ]);
    }
  });

  test('get() throws naming an id the table lacks', () => {
    expect(() => PriceBook.load().get('nope.hour')).toThrow("price 'nope.hour': not in the us-east-1 price table");
  });

  test('an invalid table is rejected naming field, value and rule', () => {
    const raw = shipped();
    raw.prices['kms.key.month']!.usd = -1;
    raw.prices['elb.alb.hour']!.seenIn = [];
    raw.pricesTakenOn = 'yesterday';
    let error: unknown;
    try {
      PriceBook.parse(raw, 'bad.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PriceTableError);
    const problems = (error as PriceTableError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'pricesTakenOn = "yesterday": must be a date YYYY-MM-DD',
        expect.stringMatching(/^prices\.kms\.key\.month\.usd = -1: /),
        expect.stringMatching(
          /^prices\.elb\.alb\.hour = .*: confirmed must be true exactly when seenIn names at least one page$/,
        ),
      ]),
    );
  });

  test('an unconfirmed price without a note is rejected', () => {
    const raw = shipped();
    raw.prices['kms.key.month'] = {
      usd: 1,
      unit: 'key-month',
      source: 'https://aws.amazon.com/kms/pricing/',
      confirmed: false,
      seenIn: [],
    };
    expect(() => PriceBook.parse(raw)).toThrow(
      /prices\.kms\.key\.month = .*an unconfirmed price needs a note saying so/,
    );
  });
});

describe('format', () => {
  test('money and unit prices', () => {
    expect(money(1234.5)).toBe('$1,234.50');
    expect(money(0.125)).toBe('$0.13');
    expect(unitPrice(0.0225)).toBe('$0.0225');
    expect(unitPrice(1)).toBe('$1.00');
    expect(unitPrice(0.0000133334)).toBe('$0.0000133334');
    expect(unitPrice(null)).toBe('no confirmed price');
  });
});
