// The network map: Cytoscape.js draws the elements the page wrote as JSON in the map's
// data-elements attribute (no inline script under the CSP; an attribute, unlike a script
// element, survives htmx's hx-select), at the positions the server laid out. Clicking a node opens its page. After a
// filter changes, htmx swaps in a new panel and the map is drawn again.
(function () {
  "use strict";
  let library = null;

  function loadLibrary(src) {
    if (window.cytoscape) return Promise.resolve(window.cytoscape);
    if (!library) {
      library = new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.cytoscape); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return library;
  }

  function draw(container) {
    if (!container.dataset.elements || container.dataset.drawn) return;
    container.dataset.drawn = "1";
    const spec = JSON.parse(container.dataset.elements);
    loadLibrary(container.dataset.script).then(function (cytoscape) {
      const cy = cytoscape({
        container: container,
        elements: spec.elements,
        layout: { name: "preset", fit: true, padding: 20 },
        minZoom: 0.05,
        maxZoom: 4,
        style: [
          { selector: "node", style: {
            "background-color": "data(colour)", "label": "data(label)", "font-size": 11,
            "width": 14, "height": 14, "color": "#1f2937", "text-valign": "bottom",
            "text-margin-y": 3, "min-zoomed-font-size": 5 } },
          { selector: "node[kind = 'organisation']", style: { "shape": "round-rectangle" } },
          { selector: "node[kind = 'colleague']", style: { "shape": "diamond", "width": 18, "height": 18 } },
          { selector: "node[?centre]", style: { "width": 26, "height": 26, "border-width": 3, "border-color": "#111827" } },
          { selector: "edge", style: {
            "width": "mapData(strength, 0, 1, 0.5, 4)", "line-color": "#9ca3af", "opacity": 0.7,
            "curve-style": "haystack" } },
          { selector: "edge[kind = 'works at']", style: { "line-style": "dashed" } },
        ],
      });
      cy.on("tap", "node", function (event) {
        const url = event.target.data("url");
        if (url) window.location.assign(url);
      });
      container.gildeMap = cy; // for the keyboard-free checks of the browser tests
      container.dataset.ready = "1";
    });
  }

  function drawAll(root) {
    root.querySelectorAll(".network-map").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:load", function (event) { drawAll(event.detail.elt); });
})();
