"""The benchmark peer: the prediction API as the challenge itself sketches it (Flask behind gunicorn,
a scikit-learn pipeline in memory, POST /predict with the same body and answer as Propel's).

The pipeline (one-hot attr_b, scaled numerics, logistic regression) is fitted at start-up on seeded
synthetic rows of the four challenge features, so the peer needs no artifact and no database.
"""

import numpy as np
from flask import Flask, jsonify, request
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["attr_a", "scd_a", "scd_b"]
CATEGORIES = np.array(["a", "b", "c", "d"], dtype=object)


def _training_rows(n=5000, seed=7):
    rng = np.random.default_rng(seed)
    numeric = np.column_stack([rng.integers(1, 6, n), rng.random(n), rng.integers(1, 6, n)]).astype(float)
    attr_b = CATEGORIES[rng.integers(0, 4, n)]
    logit = -2.5 + 2.0 * numeric[:, 1] - 0.2 * numeric[:, 0]
    labels = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    rows = np.empty((n, 4), dtype=object)
    rows[:, :3] = numeric
    rows[:, 3] = attr_b
    return rows, labels


def _fit():
    pipeline = Pipeline(
        [
            (
                "encode",
                ColumnTransformer(
                    [("numeric", StandardScaler(), [0, 1, 2]), ("attr_b", OneHotEncoder(handle_unknown="ignore"), [3])]
                ),
            ),
            ("model", LogisticRegression(max_iter=500)),
        ]
    )
    rows, labels = _training_rows()
    pipeline.fit(rows, labels)
    return pipeline


MODEL = _fit()
THRESHOLD = 0.2
app = Flask(__name__)


@app.post("/predict")
def predict():
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("features"), dict):
        return jsonify(error={"code": "BAD_INPUT", "message": "expected {idx, features}"}), 400
    features = body["features"]
    try:
        row = np.array([[float(features[name]) for name in NUMERIC] + [str(features["attr_b"])]], dtype=object)
    except (KeyError, TypeError, ValueError) as error:
        return jsonify(error={"code": "BAD_INPUT", "message": f"bad or missing feature: {error}"}), 400
    probability = float(MODEL.predict_proba(row)[0, 1])
    return jsonify(label=int(probability >= THRESHOLD), probability=probability, model_version="flask-peer")


@app.get("/health")
def health():
    return jsonify(status="ok")
