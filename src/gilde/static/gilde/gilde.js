// Gilde's only script besides htmx: behaviour that would otherwise be inline handlers, which the
// Content-Security-Policy does not allow.
"use strict";

// <form data-confirm="Delete this?">: ask before submitting.
document.addEventListener(
  "submit",
  function (event) {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);

// A form that came back with errors: its summary at the top takes the focus, so the reader
// (and a screen reader) starts at what to fix.
document.addEventListener("DOMContentLoaded", function () {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
// The phone menu: hidden behind its button only when this script runs (without it, it stays open).
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  const target = event.target instanceof Element ? event.target : null;
  const toggle = target && target.closest("[data-menu-toggle]");
  if (toggle) {
    const menu = document.getElementById(toggle.getAttribute("aria-controls"));
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    if (menu) menu.classList.toggle("open", open);
    return;
  }
  // A "Print" button (the drop-in door sheet) opens the browser's print dialog.
  if (target && target.closest("[data-print]")) {
    window.print();
    return;
  }
  // A click outside an open dropdown closes it, as a menu does.
  document.querySelectorAll("details.dropdown[open]").forEach(function (details) {
    if (!target || !details.contains(target)) details.removeAttribute("open");
  });
});

// Escape closes the open dropdown (or the phone menu) and gives focus back to what opened it.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  const open = document.querySelector("details.dropdown[open]");
  if (open) {
    open.removeAttribute("open");
    open.querySelector("summary").focus();
    return;
  }
  const toggle = document.querySelector("[data-menu-toggle][aria-expanded=true]");
  if (toggle) {
    toggle.click();
    toggle.focus();
  }
});

// Charts: <canvas data-chart="ID"> with its figures in <script type="application/json" id="ID">
// (written by core/_chart.html). Chart.js is fetched only when a page has a chart.
let chartLibrary = null;

function loadChartLibrary() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!chartLibrary) {
    chartLibrary = new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = document.documentElement.dataset.chartScript;
      script.onload = function () { resolve(window.Chart); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  return chartLibrary;
}

// The labels run along x, the values up y; a horizontal chart ("horizontal": true) swaps them.
function scales(spec, unit) {
  const labels = { stacked: spec.stacked, grid: { display: false }, ticks: { autoSkip: !spec.horizontal, maxRotation: 0, maxTicksLimit: spec.maxTicks || 12 } };
  const values = { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0, callback: function (value) { return value + unit; } } };
  return spec.horizontal ? { x: values, y: labels } : { x: labels, y: values };
}

function drawChart(Chart, canvas) {
  const source = document.getElementById(canvas.dataset.chart);
  if (!source || canvas.dataset.drawn) return;
  canvas.dataset.drawn = "1";
  const spec = JSON.parse(source.textContent);
  const unit = spec.unit || "";
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  new Chart(canvas, {
    type: spec.type,
    data: { labels: spec.labels, datasets: spec.datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduced ? false : { duration: 300 },
      indexAxis: spec.horizontal ? "y" : "x",
      plugins: {
        legend: { display: spec.legend, position: "bottom", labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + item.formattedValue + unit; } } },
      },
      scales: scales(spec, unit),
      elements: { line: { tension: 0.25, borderWidth: 2 }, point: { radius: 0, hitRadius: 6 } },
    },
  });
}

function drawCharts(root) {
  const canvases = root.querySelectorAll("canvas[data-chart]");
  if (!canvases.length) return;
  loadChartLibrary().then(function (Chart) {
    canvases.forEach(function (canvas) { drawChart(Chart, canvas); });
  });
}

document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
// htmx:load comes for every piece htmx puts in, out-of-band ones too (the strip after a quick log).
document.addEventListener("htmx:load", function (event) { drawCharts(event.detail.elt); });

// A table wider than the screen scrolls inside its box: the box takes focus so the keyboard can
// scroll it too (a box that does not scroll stays out of the tab order).
function focusScrollingTables(root) {
  root.querySelectorAll(".table-scroll").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
  });
}
document.addEventListener("DOMContentLoaded", function () { focusScrollingTables(document); });
document.addEventListener("htmx:load", function (event) { focusScrollingTables(event.detail.elt); });
window.addEventListener("resize", function () { focusScrollingTables(document); });
