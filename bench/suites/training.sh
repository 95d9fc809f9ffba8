#!/usr/bin/env bash
# Training benchmark: (1) seconds per 100k rows per epoch for each TensorFlow.js backend that loads
# here (tfjs-node when installed, wasm, cpu), same rows, same model; (2) on the default synthetic data
# (synth generate defaults), the champion's holdout ROC-AUC vs the generator's Bayes-optimal AUC and
# its calibration error. Writes bench/results/training.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=bench/work/training
rm -rf "$WORK"
mkdir -p "$WORK"
export DATA_SOURCE=$WORK/source DATA_POOL=$WORK/pool SYNTH_MANIFEST=$WORK/manifest.json LOG_LEVEL=warn
export MODEL_EXPORT_DIR=$WORK/models
JOBS="node jobs/dist/cli.js"
$JOBS synth generate >/dev/null
node jobs/dist/db/with-postgres.js -- bash -c "
  set -euo pipefail
  $JOBS migrate >/dev/null
  $JOBS ingest-clients >/dev/null
  for file in $DATA_SOURCE/sales/*/sales.csv; do
    month=\$(basename \"\$(dirname \"\$file\")\")
    $JOBS ingest-sales --month \"\${month:0:7}\" >/dev/null
    $JOBS build-features --as-of \"\${month:0:7}\" >/dev/null
  done
  $JOBS train --as-of latest > $WORK/train.json
  $JOBS promote --as-of latest > $WORK/promote.json
"
node bench/suites/training/run.mjs "$WORK"
