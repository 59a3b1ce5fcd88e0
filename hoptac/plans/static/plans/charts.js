// HợpTác — charts of the plan pages, drawn with the vendored Chart.js (vendor/chartjs/chart.umd.js).
// Each <canvas data-chart="ID"> reads its data from <script type="application/json" id="ID">, written by
// Django's json_script from hoptac/plans/tables.py (line_chart, bar_chart). Numbers are shown the
// Vietnamese way (1.234,5) whatever the browser's locale; years are shown without separators.
(function () {
  "use strict";

  const BLUE = "#124f8f";
  const BLUE_LIGHT = "rgba(26, 95, 168, 0.55)";
  const GREY = "#566270";
  const RED = "#b3121f";
  const BAND = "rgba(29, 107, 53, 0.10)";

  // 1234567.89 → "1.234.567,9" (decimals fixed), -0.5 → "-0,5".
  function vn(value, decimals) {
    if (value === null || value === undefined || Number.isNaN(value)) return "—";
    const fixed = Math.abs(value).toFixed(decimals);
    const parts = fixed.split(".");
    const whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    const sign = value < 0 && Number(fixed) !== 0 ? "-" : "";
    return sign + whole + (parts[1] ? "," + parts[1] : "");
  }

  // Counts without decimals unless they have a fraction; percentages with one decimal.
  function show(value, spec) {
    if (value === null || value === undefined) return "—";
    let decimals = spec.decimals;
    if (!decimals && Math.abs(value - Math.round(value)) >= 0.05) decimals = 1;
    return vn(value, decimals) + (spec.percent ? "%" : "");
  }

  function tick(value, spec) {
    const decimals = Number.isInteger(value) ? 0 : Math.min(2, String(value).split(".")[1].length);
    return vn(value, decimals) + (spec.percent ? "%" : "");
  }

  // The value axis stays in the indicator's domain (tables.py sends ymin/ymax: no negative counts, no
  // percentage above 100 unless the data themselves leave that range).
  function keepInDomain(scale, spec) {
    if (spec.ymin !== null && spec.ymin !== undefined && scale.min < spec.ymin) scale.min = spec.ymin;
    if (spec.ymax !== null && spec.ymax !== undefined && scale.max > spec.ymax) scale.max = spec.ymax;
  }

  function readSpec(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return null;
    try {
      return JSON.parse(source.textContent);
    } catch (error) {
      return null;
    }
  }

  function constantLine(label, y, from, to, color, dash) {
    return {
      label: label,
      data: [
        { x: from, y: y },
        { x: to, y: y },
      ],
      borderColor: color,
      borderWidth: 1.5,
      borderDash: dash || [],
      pointRadius: 0,
      pointHitRadius: 0,
      fill: false,
      order: 3,
    };
  }

  function lineChart(canvas, spec) {
    const labels = spec.labels;
    const datasets = [
      {
        label: labels.value,
        data: spec.points.map((p) => ({ x: p.x, y: p.y, partial: p.partial, date: p.date })),
        borderColor: BLUE,
        backgroundColor: BLUE,
        borderWidth: 2.5,
        pointRadius: spec.points.map((p) => (p.partial ? 4 : 3.5)),
        pointStyle: spec.points.map((p) => (p.partial ? "rectRot" : "circle")),
        pointBackgroundColor: spec.points.map((p) => (p.partial ? "#fff" : BLUE)),
        spanGaps: false,
        order: 1,
      },
    ];
    if (spec.trend) {
      datasets.push({
        label: labels.trend,
        data: spec.trend,
        borderColor: GREY,
        borderWidth: 1.5,
        borderDash: [6, 4],
        pointRadius: [0, 3],
        pointBackgroundColor: GREY,
        fill: false,
        order: 2,
      });
    }
    const goal = spec.goal || {};
    if (goal.low !== undefined && goal.high !== undefined && goal.high !== null) {
      datasets.push(constantLine(labels.band, goal.low, spec.xmin, spec.xmax, "rgba(29, 107, 53, 0.45)", [2, 3]));
      const upper = constantLine(labels.band, goal.high, spec.xmin, spec.xmax, "rgba(29, 107, 53, 0.45)", [2, 3]);
      upper.fill = "-1";
      upper.backgroundColor = BAND;
      datasets.push(upper);
    }
    if (goal.value !== undefined && goal.value !== null) {
      datasets.push(constantLine(labels.target, goal.value, spec.xmin, spec.xmax, RED, []));
    }
    return new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: {
            type: "linear",
            min: spec.xmin,
            max: spec.xmax,
            offset: true, // room for the first and last points
            grid: { offset: false, color: "#eef1f5" },
            ticks: { stepSize: spec.xmax - spec.xmin > 12 ? 5 : 1, precision: 0, callback: (v) => String(v) },
          },
          y: {
            grace: "8%",
            afterDataLimits: (scale) => keepInDomain(scale, spec),
            // `grace` widens the range after afterDataLimits: clamp again and drop ticks outside the domain.
            afterBuildTicks: (scale) => {
              keepInDomain(scale, spec);
              scale.ticks = scale.ticks.filter((t) => t.value >= scale.min && t.value <= scale.max);
            },
            ticks: { callback: (v) => tick(v, spec), maxTicksLimit: 6 },
            grid: { color: "#eef1f5" },
          },
        },
        plugins: {
          legend: {
            position: "bottom",
            labels: {
              boxWidth: 18,
              boxHeight: 2,
              font: { size: 12 },
              // One legend entry for the two edges of the accepted range.
              filter: (item, data) =>
                data.datasets.findIndex((d) => d.label === item.text) === item.datasetIndex,
            },
          },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? String(items[0].parsed.x) : ""),
              label: (item) => {
                const raw = item.raw || {};
                let text = item.dataset.label + ": " + show(item.parsed.y, spec);
                if (raw.partial) text += " (" + labels.partial + " " + raw.date + ")";
                return text;
              },
            },
          },
        },
      },
    });
  }

  function barChart(canvas, spec) {
    const bars = spec.bars || [];
    const goal = spec.goal || {};
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: bars.map((b) => b.label),
        datasets: [
          {
            label: spec.labels.value,
            data: bars.map((b) => b.y),
            backgroundColor: BLUE_LIGHT,
            borderColor: BLUE,
            borderWidth: 1,
            maxBarThickness: 22,
          },
        ],
      },
      options: {
        animation: false,
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: {
            beginAtZero: true,
            afterDataLimits: (scale) => keepInDomain(scale, spec),
            // `grace` widens the range after afterDataLimits: clamp again and drop ticks outside the domain.
            afterBuildTicks: (scale) => {
              keepInDomain(scale, spec);
              scale.ticks = scale.ticks.filter((t) => t.value >= scale.min && t.value <= scale.max);
            },
            // Keep a share's target line in view even when every bar is below it.
            suggestedMax: spec.percent && goal.value !== undefined ? goal.value * 1.1 : undefined,
            ticks: { callback: (v) => tick(v, spec), maxTicksLimit: 6 },
            grid: { color: "#eef1f5" },
          },
          y: {
            ticks: {
              autoSkip: false,
              font: { size: 12 },
              callback: function (value) {
                const label = this.getLabelForValue(value);
                return label.length > 34 ? label.slice(0, 33) + "…" : label;
              },
            },
            grid: { display: false },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => spec.labels.value + ": " + show(item.parsed.x, spec),
            },
          },
          targetLine: goal.value !== undefined && goal.value !== null ? { value: goal.value } : false,
        },
      },
      plugins: [targetLinePlugin(spec)],
    });
  }

  // A vertical line at the target on bar charts of shares (a count target is for the whole plan area,
  // so it is not drawn against one commune's count).
  function targetLinePlugin(spec) {
    return {
      id: "targetLine",
      afterDatasetsDraw(chart, _args, options) {
        if (!options || options.value === undefined || !spec.percent) return;
        const x = chart.scales.x.getPixelForValue(options.value);
        if (x < chart.chartArea.left || x > chart.chartArea.right) return;
        const ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = RED;
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(x, chart.chartArea.top);
        ctx.lineTo(x, chart.chartArea.bottom);
        ctx.stroke();
        ctx.restore();
      },
    };
  }

  // The map of areas (the comparison of provinces): one bubble per area at its longitude and latitude, its
  // colour the share of the target reached (red below half, amber below the target, green at or above), its
  // size the value. tables.py (area_map) sends the points; the league table beside it has every figure.
  function shareColour(share) {
    if (share === null || share === undefined) return "rgba(86, 98, 112, 0.45)";
    if (share >= 100) return "rgba(29, 107, 53, 0.75)";
    if (share >= 50) return "rgba(196, 129, 0, 0.75)";
    return "rgba(179, 18, 31, 0.75)";
  }

  function mapChart(canvas, spec) {
    const largest = Math.max(1, ...spec.points.map((p) => Math.abs(p.value || 0)));
    return new window.Chart(canvas, {
      type: "bubble",
      data: {
        datasets: [
          {
            label: spec.labels.value,
            data: spec.points.map((p) => ({
              x: p.x,
              y: p.y,
              r: 5 + 15 * Math.sqrt(Math.abs(p.value || 0) / largest),
              name: p.name,
              value: p.value,
              share: p.share,
              url: p.url,
            })),
            backgroundColor: spec.points.map((p) => shareColour(p.share)),
            borderColor: "#ffffff",
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => {
                const raw = item.raw;
                const share = raw.share === null ? "" : " · " + vn(raw.share, 1) + "% " + spec.labels.of_target;
                return raw.name + ": " + show(raw.value, spec) + share;
              },
            },
          },
        },
        onClick: (_event, elements) => {
          if (!elements.length) return;
          const url = spec.points[elements[0].index].url;
          if (url) window.location.href = url;
        },
        scales: {
          x: { title: { display: true, text: spec.labels.longitude }, ticks: { callback: (v) => vn(v, 2) } },
          y: { title: { display: true, text: spec.labels.latitude }, ticks: { callback: (v) => vn(v, 2) } },
        },
      },
    });
  }

  function draw() {
    if (!window.Chart) return;
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = "#3f4a57";
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const spec = readSpec(canvas);
      if (!spec) return;
      const chart =
        spec.type === "bar"
          ? barChart(canvas, spec)
          : spec.type === "map"
            ? mapChart(canvas, spec)
            : lineChart(canvas, spec);
      canvas.dataset.drawn = chart ? "true" : "false";
    });
  }

  window.hoptacCharts = { vn: vn, draw: draw };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
