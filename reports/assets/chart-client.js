// Shakedown report charts: runs in the browser, inlined into the page after uPlot. Reads the chart specs from
// <script type="application/json" id="shakedown-charts"> and draws each into its <div data-chart="id">.
// Every spec's `shade` windows (fault windows) are painted behind the lines, with their names on top.
// No network, no eval; text goes in through textContent only.
(function () {
  'use strict';
  var el = document.getElementById('shakedown-charts');
  if (!el || typeof uPlot !== 'function') return;
  var specs = JSON.parse(el.textContent || '{"charts":[]}').charts;
  var SHADES = ['rgba(220, 60, 40, 0.13)', 'rgba(230, 150, 0, 0.16)', 'rgba(120, 70, 200, 0.13)', 'rgba(0, 140, 160, 0.13)'];
  var EDGES = ['rgba(200, 40, 20, 0.55)', 'rgba(200, 120, 0, 0.6)', 'rgba(100, 50, 180, 0.55)', 'rgba(0, 120, 140, 0.55)'];

  function fmt(v, unit) {
    if (v === null || v === undefined || Number.isNaN(v)) return '-';
    if (unit === '%') return (v * 100).toFixed(v !== 0 && Math.abs(v) < 0.001 ? 2 : 1) + '%';
    if (unit === 'ms') return (Math.abs(v) >= 100 ? Math.round(v) : v.toFixed(1)) + ' ms';
    if (unit === 'q') return v.toFixed(3);
    if (unit === 'rps') return v.toFixed(1) + '/s';
    return String(Math.round(v * 100) / 100);
  }

  function shadePlugin(spec) {
    return {
      hooks: {
        drawClear: [
          function (u) {
            var ctx = u.ctx;
            var top = u.bbox.top;
            var height = u.bbox.height;
            ctx.save();
            (spec.shade || []).forEach(function (w, i) {
              var x0 = u.valToPos(w.from, 'x', true);
              var x1 = u.valToPos(w.to, 'x', true);
              var left = Math.max(x0, u.bbox.left);
              var right = Math.min(x1, u.bbox.left + u.bbox.width);
              if (right <= left) return;
              ctx.fillStyle = SHADES[i % SHADES.length];
              ctx.fillRect(left, top, right - left, height);
              ctx.strokeStyle = EDGES[i % EDGES.length];
              ctx.lineWidth = 1;
              ctx.setLineDash([4, 3]);
              ctx.beginPath();
              ctx.moveTo(left, top);
              ctx.lineTo(left, top + height);
              ctx.moveTo(right, top);
              ctx.lineTo(right, top + height);
              ctx.stroke();
              ctx.setLineDash([]);
              ctx.fillStyle = EDGES[i % EDGES.length];
              ctx.font = 11 * devicePixelRatio + 'px system-ui, sans-serif';
              ctx.textBaseline = 'top';
              ctx.fillText(
                w.label,
                left + 4 * devicePixelRatio,
                top + 3 * devicePixelRatio + (i % 3) * 13 * devicePixelRatio,
                Math.max(right - left - 6, 40),
              );
            });
            ctx.restore();
          },
        ],
      },
    };
  }

  function build(spec, width) {
    var raw = spec.series.map(function (s) {
      return s.values;
    });
    var data = [spec.x];
    if (spec.stacked) {
      // Cumulative sums, painted from the top layer down so each band shows its own share.
      var acc = spec.x.map(function () {
        return 0;
      });
      var cumulative = raw.map(function (vals) {
        acc = acc.map(function (a, i) {
          return a + (vals[i] || 0);
        });
        return acc.slice();
      });
      for (var i = cumulative.length - 1; i >= 0; i--) data.push(cumulative[i]);
    } else {
      raw.forEach(function (vals) {
        data.push(vals);
      });
    }
    var ordered = spec.stacked ? spec.series.slice().reverse() : spec.series;
    var rawOrdered = spec.stacked ? raw.slice().reverse() : raw;
    var labels = spec.xLabels;
    var opts = {
      width: width,
      height: spec.height || 220,
      plugins: [shadePlugin(spec)],
      cursor: { drag: { x: true, y: false } },
      scales: {
        x: labels
          ? {
              time: false,
              range: function () {
                return [-0.3, Math.max(1, spec.x.length - 1) + 0.3];
              },
            }
          : { time: false },
        y: spec.yRange
          ? { range: spec.yRange }
          : {
              range: function (u, min, max) {
                return [Math.min(0, min), max > 0 ? max * 1.08 : 1];
              },
            },
      },
      axes: [
        {
          splits: labels
            ? function () {
                return spec.x;
              }
            : undefined,
          values: function (u, splits) {
            return splits.map(function (v) {
              if (labels) return Number.isInteger(v) && labels[v] !== undefined ? labels[v] : '';
              return v + (spec.xUnit === undefined ? 's' : spec.xUnit);
            });
          },
          label: spec.xTitle || '',
          labelSize: spec.xTitle ? 20 : 0,
        },
        {
          values: function (u, splits) {
            return splits.map(function (v) {
              return fmt(v, spec.unit);
            });
          },
          size: 70,
        },
      ],
      series: [
        {
          label: labels ? 'build' : spec.xUnit === undefined ? 't' : 'x',
          value: function (u, v) {
            return v === null ? '-' : labels ? labels[v] || '' : v + (spec.xUnit === undefined ? ' s' : ' ' + spec.xUnit);
          },
        },
      ].concat(
        ordered.map(function (s, i) {
          return {
            label: s.label,
            stroke: s.color,
            width: 1.5,
            fill: spec.stacked ? s.color : undefined,
            points: { show: !!labels || spec.x.length < 40 },
            spanGaps: false,
            value: function (u, v, si, idx) {
              var r = idx === null || idx === undefined ? null : rawOrdered[i][idx];
              return fmt(r, spec.unit);
            },
          };
        }),
      ),
    };
    return { opts: opts, data: data };
  }

  var plots = [];
  specs.forEach(function (spec) {
    var host = document.querySelector('[data-chart="' + spec.id + '"]');
    if (!host) return;
    var width = Math.max(320, host.clientWidth || 800);
    var built = build(spec, width);
    plots.push({ host: host, plot: new uPlot(built.opts, built.data, host) });
  });

  function resize(widthFor) {
    plots.forEach(function (p) {
      p.plot.setSize({ width: widthFor(p.host), height: p.plot.height });
    });
  }
  var pending = null;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      resize(function (h) {
        return Math.max(320, h.clientWidth);
      });
    }, 100);
  });
  window.addEventListener('beforeprint', function () {
    resize(function () {
      return 680;
    });
  });
  window.addEventListener('afterprint', function () {
    resize(function (h) {
      return Math.max(320, h.clientWidth);
    });
  });
  document.documentElement.setAttribute('data-charts-drawn', String(plots.length));
})();
