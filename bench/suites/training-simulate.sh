#!/usr/bin/env bash
# The make simulate table as a benchmark result: months released one by one (drift from
# SIM_DRIFT_MONTH), champion vs challenger on each month's holdout. Writes
# bench/results/training-simulate.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
export SIM_DIR=bench/work/simulate
bash scripts/simulate.sh >/dev/null
node -e '
  const fs = require("fs");
  const [dir, out] = process.argv.slice(1);
  const [header, ...lines] = fs.readFileSync(dir + "/table.tsv", "utf8").trim().split("\n").map((l) => l.split("\t"));
  const manifest = JSON.parse(fs.readFileSync(dir + "/manifest.json", "utf8"));
  const k = manifest.knobs;
  fs.writeFileSync(out, JSON.stringify({
    name: "training-simulate",
    title: "make simulate: champion vs challenger as months pass (drift from " + k.drift_month + ")",
    command: "make simulate (BENCH_SUITES=training-simulate bash bench/run.sh)",
    measured_at: new Date().toISOString().slice(0, 10),
    columns: header,
    rows: lines,
    notes: [
      k.customers + " customers, " + k.months + " months, " + k.released + " released at the start, seed " + k.seed +
        "; the generator Bayes-optimal ROC-AUC is " + manifest.bayes_auc.toFixed(4) + ".",
      "Each month: ingest-sales, validate, build-features, validate, drift (drifted = features at PSI >= 0.1 vs the champion training snapshot), train (mlp, retrain on the last 3 snapshots), promote (same holdout rows, margin 0.005 AUC), score.",
      "champion AUC is the current champion on the new month holdout, before the decision; champion is the one after it.",
    ],
  }, null, 2) + "\n");
' "$SIM_DIR" bench/results/training-simulate.json
