import { expectedAuc, rocAuc } from './auc';
import { createRng } from './random';

describe('rocAuc', () => {
  it('when scores separate the labels perfectly, in reverse or not at all, then the AUC is 1, 0 or 0.5', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it('when scores tie across classes, then each tied pair counts one half', () => {
    // positives 0.5 and 0.9; negatives 0.5 and 0.1: pairs (0.5,0.5)=½, (0.5,0.1)=1, (0.9,·)=2 → 3.5/4
    expect(rocAuc([0.5, 0.9, 0.5, 0.1], [1, 1, 0, 0])).toBe(0.875);
  });

  it('when only one class is present, then the AUC is undefined (NaN)', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });
});

describe('expectedAuc', () => {
  it('when every probability is the same, then no ranking is possible: 0.5', () => {
    expect(expectedAuc([0.2, 0.2, 0.2])).toBeCloseTo(0.5, 10);
  });

  it('when labels are drawn from p many times, then their empirical AUC approaches the expected one', () => {
    const rng = createRng(1, 'test');
    const p = Array.from({ length: 20000 }, () => 1 / (1 + Math.exp(-(-2 + 1.5 * rng.normal()))));
    const labels = p.map((x) => (rng.next() < x ? 1 : 0));
    expect(Math.abs(rocAuc(p, labels) - expectedAuc(p))).toBeLessThan(0.02);
    expect(expectedAuc(p)).toBeGreaterThan(0.7);
  });
});
