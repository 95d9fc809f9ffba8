import { monthRange, parseMonth } from './month';
import { PropelError } from './errors';

describe('parseMonth', () => {
  it('when given YYYY-MM, then it knows the first, last and next day', () => {
    expect(parseMonth('2020-02')).toEqual({
      id: '2020-02',
      start: '2020-02-01',
      end: '2020-02-29',
      nextStart: '2020-03-01',
    });
    expect(parseMonth('2022-12').nextStart).toBe('2023-01-01');
  });

  it('when given the folder form YYYY-MM-01, then it is the same month', () => {
    expect(parseMonth('2021-07-01').id).toBe('2021-07');
  });

  it.each(['2020-13', '2020-1', '20-01', '2020-01-15', 'next', ''])(
    'when given %j, then it is bad input naming the flag',
    (value) => {
      expect(() => parseMonth(value, '--as-of')).toThrow(PropelError);
      expect(() => parseMonth(value, '--as-of')).toThrow(/--as-of: expected a month as YYYY-MM/);
    },
  );

  it('when asked for a range, then it lists every month inclusive', () => {
    expect(monthRange(parseMonth('2020-11'), parseMonth('2021-02')).map((m) => m.id)).toEqual([
      '2020-11',
      '2020-12',
      '2021-01',
      '2021-02',
    ]);
  });
});
