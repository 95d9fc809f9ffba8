// Renders bench/results/*.json ({name, title, command, columns, rows, notes}) into BENCHMARKS.md.
import fs from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, 'results');
const results = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));

// Small figures (an ECE of 0.004) keep three significant digits instead of rounding to 0.
const cell = (v) =>
  typeof v !== 'number'
    ? String(v)
    : v !== 0 && Math.abs(v) < 1
      ? v.toLocaleString('en-US', { maximumSignificantDigits: 3 })
      : v.toLocaleString('en-US', { maximumFractionDigits: 2 });
const out = [
  '# Benchmarks',
  '',
  'Made by `make bench` (each section names its own command). Every figure that matters is a ratio',
  'measured side by side in the same run on the same machine: absolute numbers from these shared',
  '2-core machines are noisy and are shown only to make the ratios readable.',
  '',
];
for (const r of results) {
  out.push(`## ${r.title}`, '', `Command: \`${r.command}\`${r.measured_at ? ` — measured ${r.measured_at}` : ''}`, '');
  out.push(`| ${r.columns.join(' | ')} |`, `|${r.columns.map(() => '---').join('|')}|`);
  for (const row of r.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
  out.push('');
  if (r.notes) out.push(...(Array.isArray(r.notes) ? r.notes : [r.notes]), '');
}
fs.writeFileSync(path.join(import.meta.dirname, '..', 'BENCHMARKS.md'), out.join('\n'));
console.error(`BENCHMARKS.md: ${results.length} section(s)`);
