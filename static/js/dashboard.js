/*
 * Plan tracking portal – dashboard charts.
 *
 * Loaded with `defer` after vendor/chartjs/chart.umd.min.js. The figures come from the
 * <script type="application/json" id="dashboard-data"> block the page writes with Django's
 * json_script filter; every chart has a table with the same figures in the page, so the
 * charts are a visual aid only. No inline scripts or styles (CSP without 'unsafe-inline'):
 * sizes are set from here through element.style, which the policy allows.
 *
 * Charts (each drawn only if its canvas is on the page):
 *   #chart-status      doughnut: tasks per status            data.status
 *   #chart-sections    stacked bars: status per section      data.sections
 *   #chart-agencies    stacked bars: status per agency       data.agencies
 *   #chart-overdue     bars: overdue tasks by age            data.overdue
 *   #chart-round       doughnut: submissions per state       data.round
 *   canvas[data-target-chart="<id>"]  line: actuals per year against the course  data.targets[id]
 * Clicking a slice or bar opens the list it counts (the `url` next to each figure).
 */
(function () {
  "use strict";

  // Strong versions of the badge colours in portal.css, in the same order of meaning.
  var STATUS_COLOURS = {
    done_on_time: "#2e7d32",
    done_late: "#b58900",
    in_progress: "#1565c0",
    overdue: "#c62828",
    not_started: "#8a939c",
    ongoing: "#6f42c1",
    not_reported: "#e07b24"
  };
  var STATE_COLOURS = {
    not_started: "#ced4da",
    draft: "#8a939c",
    submitted: "#1565c0",
    returned: "#c62828",
    resubmitted: "#6f42c1",
    accepted: "#2e7d32"
  };
  var BUCKET_COLOURS = ["#f0a04b", "#e0662f", "#b71c1c"];
  var PORTAL_BLUE = "#0b4a8b";
  var COURSE_GREY = "#8a939c";

  function readData() {
    var element = document.getElementById("dashboard-data");
    if (!element) {
      return null;
    }
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function colour(map, key) {
    return map[key] || COURSE_GREY;
  }

  // Clicking a bar or slice follows the link of that figure; the cursor says it is a link.
  function linkOptions(urlAt) {
    return {
      onClick: function (event, elements) {
        if (!elements.length) {
          return;
        }
        var url = urlAt(elements[0].datasetIndex, elements[0].index);
        if (url) {
          window.location.assign(url);
        }
      },
      onHover: function (event, elements) {
        var canvas = event.native && event.native.target;
        if (canvas) {
          canvas.style.cursor = elements.length ? "pointer" : "default";
        }
      }
    };
  }

  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      target[key] = source[key];
    });
    return target;
  }

  function doughnut(canvas, items, colours) {
    var total = items.reduce(function (sum, item) { return sum + item.count; }, 0);
    if (!total) {
      return null;
    }
    // Room for the ring and a legend of long Vietnamese labels below it.
    canvas.parentNode.style.height = (180 + Math.ceil(items.length / 2) * 24) + "px";
    return new window.Chart(canvas, {
      type: "doughnut",
      data: {
        labels: items.map(function (item) { return item.label; }),
        datasets: [{
          data: items.map(function (item) { return item.count; }),
          backgroundColor: items.map(function (item) { return colour(colours, item.value); }),
          borderWidth: 1
        }]
      },
      options: merge({
        maintainAspectRatio: false,
        cutout: "55%",
        plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } }
      }, linkOptions(function (datasetIndex, index) { return items[index].url; }))
    });
  }

  function stackedBars(canvas, grouped) {
    if (!grouped || !grouped.labels.length) {
      return null;
    }
    // One bar per group: grow the box with the number of groups (28 px a bar, plus the legend).
    var box = canvas.parentNode;
    box.style.height = Math.max(180, grouped.labels.length * 28 + 90) + "px";
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: grouped.labels,
        datasets: grouped.statuses.map(function (status, i) {
          return {
            label: status.label,
            data: grouped.counts[i],
            backgroundColor: colour(STATUS_COLOURS, status.value),
            borderWidth: 0,
            maxBarThickness: 22
          };
        })
      },
      options: merge({
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          y: {
            stacked: true,
            ticks: {
              autoSkip: false,
              callback: function (value) {
                var label = this.getLabelForValue(value);
                return label.length > 48 ? label.slice(0, 47) + "…" : label;
              }
            }
          }
        },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } }
      }, linkOptions(function (datasetIndex, index) { return grouped.urls[datasetIndex][index]; }))
    });
  }

  function bars(canvas, items) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: items.map(function (item) { return item.label; }),
        datasets: [{
          data: items.map(function (item) { return item.count; }),
          backgroundColor: items.map(function (item, i) { return BUCKET_COLOURS[i % BUCKET_COLOURS.length]; })
        }]
      },
      options: merge({
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } }
      }, linkOptions(function (datasetIndex, index) { return items[index].url; }))
    });
  }

  function targetLine(canvas, series, labels) {
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: series.years,
        datasets: [
          {
            label: labels.actual,
            data: series.actual,
            borderColor: PORTAL_BLUE,
            backgroundColor: PORTAL_BLUE,
            pointRadius: 3,
            spanGaps: true
          },
          {
            label: labels.course,
            data: series.path,
            borderColor: COURSE_GREY,
            backgroundColor: COURSE_GREY,
            borderDash: [5, 4],
            borderWidth: 1.5,
            pointRadius: 0,
            spanGaps: true
          }
        ]
      },
      options: {
        aspectRatio: 2.2,
        scales: { y: { title: { display: Boolean(series.unit), text: series.unit } } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
  }

  function init() {
    var data = readData();
    if (!data || !window.Chart) {
      return;
    }
    var Chart = window.Chart;
    Chart.defaults.locale = document.documentElement.lang || "vi";
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      Chart.defaults.animation = false;
    }

    var canvas = document.getElementById("chart-status");
    if (canvas && data.status) {
      doughnut(canvas, data.status, STATUS_COLOURS);
    }
    canvas = document.getElementById("chart-sections");
    if (canvas) {
      stackedBars(canvas, data.sections);
    }
    canvas = document.getElementById("chart-agencies");
    if (canvas) {
      stackedBars(canvas, data.agencies);
    }
    canvas = document.getElementById("chart-overdue");
    if (canvas && data.overdue) {
      bars(canvas, data.overdue);
    }
    canvas = document.getElementById("chart-round");
    if (canvas && data.round) {
      doughnut(canvas, data.round, STATE_COLOURS);
    }
    var labels = data.labels || { actual: "Actual", course: "On course" };
    [].forEach.call(document.querySelectorAll("canvas[data-target-chart]"), function (element) {
      var series = data.targets && data.targets[element.getAttribute("data-target-chart")];
      if (series && series.years.length) {
        targetLine(element, series, labels);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
