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

  // A chart is <figure class="chart" data-chart="{...}"> (ChartJson; htmx's allowScriptTags:false drops every script
  // element from what it swaps in, so only the attribute survives a partial update), or on a page htmx never swaps
  // <figure class="chart"><script type="application/json">{...}</script></figure>, with
  // {"title", "x": [epoch seconds], "series": [{"label", "values": [...]}], "bars": bool, "yLabel", "height"?}; "time": false
  // for an x of plain numbers, and "categories": [names] for bars named by text (x is then 0..n-1).
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
      // a single point: uPlot would spread its time axis over years; show the hour (or unit) around it instead
      if (spec.x.length === 1 && !spec.categories) opts.scales.x.range = spec.time === false
        ? [spec.x[0] - 1, spec.x[0] + 1] : [spec.x[0] - 3600, spec.x[0] + 3600];
      var cats = spec.categories; // optional: x is 0..n-1, each a bar named by cats[i]
      if (cats) {
        var name = function (v) { var c = cats[v]; return c === undefined ? '' : c.length > 24 ? c.slice(0, 23) + '\u2026' : c; };
        opts.scales.x = {time: false, range: [-0.5, cats.length - 0.5]};
        opts.axes[0] = {values: function (u, splits) { return splits.map(name); },
          splits: function () { return cats.map(function (c, i) { return i; }); }};
        series[0] = {label: '', value: function (u, v) { return v == null ? '' : cats[v]; }};
      }
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
