// Gatehouse admin centre: the only script the pages load besides htmx and uPlot (no inline script: the CSP forbids it).
(function () {
  'use strict';

  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  }

  // every htmx request carries the session's CSRF token
  document.addEventListener('htmx:configRequest', function (e) {
    e.detail.headers['X-CSRF-Token'] = csrf();
  });

  // A chart is <figure class="chart" data-chart="{...}"> (ChartJson) with
  // {"title", "x": [epoch seconds], "series": [{"label", "values": [...]}], "bars": bool, "yLabel", "height"?}; or, on a page
  // that htmx never swaps, <figure class="chart"><script type="application/json">{...}</script></figure> (htmx drops
  // every <script> from what it swaps in, so only the attribute survives a partial update).
  var palette = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#0a7ea4', '#bf3989', '#57606a'];

  function drawCharts(root) {
    if (typeof uPlot === 'undefined') return;
    root.querySelectorAll('figure.chart').forEach(function (fig) {
      if (fig.dataset.drawn) return;
      var text = fig.dataset.chart;
      if (!text) {
        var src = fig.querySelector('script[type="application/json"]');
        if (!src) return;
        text = src.textContent;
      }
      var spec = JSON.parse(text);
      fig.dataset.drawn = '1';
      var width = Math.max(320, Math.min(fig.clientWidth || 800, 1100));
      var series = [{}];
      var data = [spec.x];
      spec.series.forEach(function (s, i) {
        var c = palette[i % palette.length];
        series.push({
          label: s.label, stroke: c, width: 2,
          fill: spec.bars ? c + '55' : undefined,
          paths: spec.bars && uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({size: [0.6, 60]}) : undefined,
          points: {show: spec.x.length < 40}
        });
        data.push(s.values);
      });
      var opts = {
        title: spec.title, width: width, height: spec.height || 280, series: series,
        scales: {x: {time: spec.time !== false}},
        axes: [{}, {label: spec.yLabel || '', size: 60}]
      };
      var holder = document.createElement('div');
      fig.appendChild(holder);
      new uPlot(opts, data, holder);
    });
  }

  // "Copy" and confirmation helpers: <button data-confirm="..."> asks before submitting
  document.addEventListener('submit', function (e) {
    var b = e.submitter;
    if (b && b.dataset.confirm && !window.confirm(b.dataset.confirm)) e.preventDefault();
  });

  document.addEventListener('DOMContentLoaded', function () { drawCharts(document); });
  document.addEventListener('htmx:afterSettle', function (e) { drawCharts(e.target); });
  window.gatehouse = {drawCharts: drawCharts};
})();
