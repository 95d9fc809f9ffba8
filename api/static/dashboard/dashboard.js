// The dashboard's client: fetches /dashboard/data.json once and draws it. Each canvas gets a
// data-points attribute with the number of points it drew, which the browser test reads.
/* global Chart */
(function () {
  'use strict';

  const PALETTE = ['#2e6fdb', '#d9480f', '#2b8a3e', '#9c36b5', '#e67700', '#0b7285', '#c2255c', '#5c940d', '#495057'];
  const num = (v, digits = 3) => (typeof v === 'number' ? v.toFixed(digits) : '–');
  const time = (v) => (v ? new Date(v).toISOString().replace('T', ' ').slice(0, 16) : '–');

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  /** A table of `rows`; each column is [heading, value(row), className(row)?, wrap?]. */
  function table(containerId, columns, rows, emptyText) {
    const container = document.getElementById(containerId);
    container.replaceChildren();
    if (rows.length === 0) {
      container.append(element('p', { class: 'empty' }, emptyText));
      return;
    }
    const t = element('table');
    const head = element('tr');
    for (const [heading] of columns) head.append(element('th', {}, heading));
    t.append(head);
    for (const row of rows) {
      const tr = element('tr');
      for (const [, value, className, wrap] of columns) {
        const classes = [className ? className(row) : '', wrap ? 'wrap' : ''].filter(Boolean).join(' ');
        tr.append(element('td', classes ? { class: classes } : {}, value(row)));
      }
      t.append(tr);
    }
    container.append(t);
  }

  /** Draws a chart, or says there is nothing to draw; records the number of points drawn. */
  function chart(canvasId, config, emptyText) {
    const canvas = document.getElementById(canvasId);
    const points = config.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0);
    canvas.dataset.points = String(points);
    if (points === 0) {
      canvas.parentElement.replaceChildren(element('p', { class: 'empty' }, emptyText));
      return;
    }
    config.options = Object.assign(
      {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
      },
      config.options,
    );
    new Chart(canvas, config);
  }

  const line = (label, data, color, extra) =>
    Object.assign(
      { type: 'line', label, data, borderColor: color, backgroundColor: color, spanGaps: true, pointRadius: 3 },
      extra,
    );

  function qualityChart(data) {
    const decisions = data.promotions
      .filter((p) => p.action !== 'rollback')
      .slice()
      .reverse();
    chart(
      'chart-quality',
      {
        type: 'line',
        data: {
          labels: decisions.map((p) => p.as_of),
          datasets: [
            line(
              'champion',
              decisions.map((p) => p.champion_auc),
              PALETTE[0],
            ),
            line(
              'challenger',
              decisions.map((p) => p.challenger_auc),
              PALETTE[1],
              { borderDash: [5, 4] },
            ),
          ],
        },
        options: { scales: { y: { title: { display: true, text: 'ROC-AUC' } } } },
      },
      'No promote decision yet.',
    );
  }

  function driftChart(data) {
    const months = [...new Set(data.drift.map((d) => d.as_of))];
    const features = [...new Set(data.drift.map((d) => d.feature))];
    const psi = new Map(data.drift.map((d) => [`${d.feature}|${d.as_of}`, d.psi]));
    const threshold = (label, value, color) =>
      line(
        label,
        months.map(() => value),
        color,
        { borderDash: [2, 3], pointRadius: 0, borderWidth: 1 },
      );
    chart(
      'chart-drift',
      {
        type: 'line',
        data: {
          labels: months,
          datasets: [
            ...features.map((f, i) =>
              line(
                f,
                months.map((m) => psi.get(`${f}|${m}`) ?? null),
                PALETTE[i % PALETTE.length],
                {
                  borderWidth: f === 'score' ? 3 : 1.5,
                },
              ),
            ),
            threshold('warn 0.1', 0.1, '#b54708'),
            threshold('critical 0.25', 0.25, '#b42318'),
          ],
        },
        options: { scales: { y: { title: { display: true, text: 'PSI' }, beginAtZero: true } } },
      },
      'No drift report yet (drift runs once a champion exists).',
    );
  }

  function trafficChart(data) {
    const points = data.traffic.points;
    document.getElementById('traffic-unit').textContent = `per ${data.traffic.unit}, with latency p50 / p95 (ms)`;
    chart(
      'chart-traffic',
      {
        data: {
          labels: points.map((p) => p.t.replace('T', ' ').replace('Z', '')),
          datasets: [
            {
              type: 'bar',
              label: 'predictions',
              data: points.map((p) => p.predictions),
              backgroundColor: '#9bb7ee',
              yAxisID: 'y',
            },
            line(
              'p50 ms',
              points.map((p) => p.p50_ms),
              PALETTE[2],
              { yAxisID: 'ms' },
            ),
            line(
              'p95 ms',
              points.map((p) => p.p95_ms),
              PALETTE[1],
              { yAxisID: 'ms' },
            ),
          ],
        },
        options: {
          scales: {
            y: { beginAtZero: true, title: { display: true, text: 'predictions' } },
            ms: {
              position: 'right',
              beginAtZero: true,
              grid: { drawOnChartArea: false },
              title: { display: true, text: 'ms' },
            },
          },
        },
      },
      'No prediction logged in the last 7 days.',
    );
  }

  function liveChart(data) {
    const periods = [...new Set(data.live_performance.map((p) => p.period_start))];
    const versions = [...new Set(data.live_performance.map((p) => p.model_version))];
    const by = new Map(data.live_performance.map((p) => [`${p.model_version}|${p.period_start}`, p]));
    const datasets = versions.flatMap((v, i) => [
      line(
        v,
        periods.map((p) => by.get(`${v}|${p}`)?.roc_auc ?? null),
        PALETTE[i % PALETTE.length],
      ),
      line(
        `${v} holdout`,
        periods.map((p) => by.get(`${v}|${p}`)?.reference_auc ?? null),
        PALETTE[i % PALETTE.length],
        { borderDash: [2, 3], borderWidth: 1, pointStyle: 'rectRot', pointRadius: 4, backgroundColor: '#fff' },
      ),
    ]);
    chart(
      'chart-live',
      {
        type: 'line',
        data: { labels: periods, datasets },
        options: { scales: { y: { title: { display: true, text: 'ROC-AUC' } } } },
      },
      'No live performance measured yet (it needs logged predictions with known outcomes).',
    );
  }

  function tables(data) {
    table(
      'table-alerts',
      [
        ['severity', (a) => a.severity, (a) => a.severity],
        ['kind', (a) => a.kind],
        ['message', (a) => a.message, null, true],
        ['seen', (a) => a.occurrences],
        ['last', (a) => time(a.last_seen)],
      ],
      data.alerts,
      'No open alert.',
    );
    table(
      'table-validation',
      [
        ['dataset', (r) => r.dataset],
        ['month', (r) => r.month ?? '–'],
        ['status', (r) => r.status, (r) => r.status],
        ['passed', (r) => `${r.passed}/${r.expectations}`],
        [
          'failed',
          (r) =>
            r.failures
              .map((f) => `${f.expectation} (${f.severity}: ${num(f.observed)} vs ${f.threshold})`)
              .join('; ') || '–',
          null,
          true,
        ],
      ],
      data.validation,
      'No validation run yet.',
    );
    table(
      'table-models',
      [
        ['version', (m) => m.version + (m.champion ? ' ★ champion' : '')],
        ['snapshot', (m) => m.as_of ?? '–'],
        ['holdout AUC', (m) => num(m.holdout_auc)],
        ['backend', (m) => m.backend ?? '–'],
      ],
      data.models,
      'No model registered yet.',
    );
    table(
      'table-retraining',
      [
        ['retraining requested for', (r) => `${r.model_version} (${r.period_start})`],
        ['why', (r) => r.reason, null, true],
      ],
      data.retraining_requests,
      'No open retraining request.',
    );
    table(
      'table-promotions',
      [
        ['at', (p) => time(p.at)],
        ['action', (p) => p.action, (p) => p.action],
        ['snapshot', (p) => p.as_of ?? '–'],
        ['champion AUC', (p) => num(p.champion_auc, 4)],
        ['challenger AUC', (p) => num(p.challenger_auc, 4)],
        ['serving', (p) => p.decision],
        ['reason', (p) => p.reason, null, true],
      ],
      data.promotions,
      'No promotion decision yet.',
    );
  }

  async function main() {
    const response = await fetch('/dashboard/data.json', { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`data.json answered ${response.status}`);
    const data = await response.json();
    const champion = data.models.find((m) => m.champion);
    document.getElementById('summary').textContent =
      `champion ${champion ? champion.version : 'none'} · ${data.alerts.length} open alerts · ` +
      `${data.retraining_requests.length} retraining requests · updated ${time(data.generated_at)} UTC`;
    qualityChart(data);
    driftChart(data);
    trafficChart(data);
    liveChart(data);
    tables(data);
    document.body.dataset.rendered = 'true';
  }

  main().catch((error) => {
    document.getElementById('summary').textContent = `could not load the dashboard data: ${error.message}`;
    document.body.dataset.rendered = 'error';
  });
})();
