import { createRng, normalCdf } from './random';

const draw = (seed: number, name: string, n = 5) => Array.from({ length: n }, createRng(seed, name).next);

describe('createRng', () => {
  it('when the same seed and stream name are used, then the sequence repeats; another seed or name changes it', () => {
    expect(draw(42, 'sales/2020-01')).toEqual(draw(42, 'sales/2020-01'));
    expect(draw(43, 'sales/2020-01')).not.toEqual(draw(42, 'sales/2020-01'));
    expect(draw(42, 'sales/2020-02')).not.toEqual(draw(42, 'sales/2020-01'));
  });

  it('when many values are drawn, then uniforms, normals and Poisson counts have the right moments', () => {
    const rng = createRng(7, 'moments');
    const n = 50000;
    const mean = (f: () => number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += f();
      return s / n;
    };
    expect(mean(rng.next)).toBeCloseTo(0.5, 2);
    expect(mean(rng.normal)).toBeCloseTo(0, 1);
    expect(mean(() => rng.normal() ** 2)).toBeCloseTo(1, 1);
    expect(mean(() => rng.poisson(0.8))).toBeCloseTo(0.8, 1);
    expect(mean(() => rng.poisson(120)) / 120).toBeCloseTo(1, 2);
    expect(mean(() => rng.int(5))).toBeCloseTo(2, 1);
  });

  it('when the normal CDF is evaluated, then it matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
});
