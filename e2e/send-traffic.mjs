// Client traffic for the dashboard test: single and batch /predict calls for known customers (the
// feature store fills their features), a few unknown ones with the challenge features, and
// feedback on some answers. Prints one JSON line with what it sent.
const base = process.argv[2] ?? 'http://127.0.0.1:5000';
const customers = Number(process.argv[3] ?? 600);

async function post(path, body) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

let predictions = 0;
let feedback = 0;
for (let idx = 0; idx < customers; idx++) {
  const answer = await post('/predict', { idx });
  predictions += 1;
  if (idx % 10 === 0) {
    await post('/feedback', { idx, label: answer.label, request_id: answer.request_id });
    feedback += 1;
  }
}
for (let start = 0; start < customers; start += 100) {
  const instances = Array.from({ length: 100 }, (_, i) => ({ idx: start + i }));
  predictions += (await post('/predict', { instances })).predictions.length;
}
for (let i = 0; i < 20; i++) {
  await post('/predict', {
    idx: 900000 + i,
    features: { attr_a: 1 + (i % 5), attr_b: ['a', 'b', 'c', 'd'][i % 4], scd_a: (i % 10) / 10, scd_b: 1 + (i % 3) },
  });
  predictions += 1;
}
console.log(JSON.stringify({ predictions, feedback }));
