// Draws the console's charts with uPlot. Each chart is a <figure data-chart="…"> whose JSON says its title, unit,
// series and uPlot's data (times, then one row per line); htmx.onLoad runs for the page and for every part the
// live stream swaps in, so charts are drawn again whenever new points arrive.
(function () {
  "use strict";
  var colours = ["#0b57b0", "#b06000", "#b3261e"];

  function draw(root) {
    var figures = root.querySelectorAll ? root.querySelectorAll("[data-chart]") : [];
    if (root.matches && root.matches("[data-chart]")) figures = [root];
    figures.forEach(function (figure) {
      var spec = JSON.parse(figure.getAttribute("data-chart"));
      figure.replaceChildren();
      var series = [{}].concat(spec.series.map(function (label, i) {
        return { label: label, stroke: colours[i % colours.length], width: 2, spanGaps: false };
      }));
      new uPlot({
        title: spec.title,
        width: Math.max(280, figure.clientWidth - 8),
        height: 180,
        series: series,
        axes: [{}, { label: spec.unit, size: 60 }],
        scales: { x: { time: true } }
      }, spec.data, figure);
    });
  }

  htmx.onLoad(draw);

  // Says in the header whether the page is live: its event stream open, or lost and being retried.
  function live(state, text) {
    var el = document.getElementById("live-state");
    if (!el) return;
    el.setAttribute("data-live", state);
    el.textContent = text;
  }
  document.addEventListener("htmx:sseOpen", function () { live("open", "live"); });
  document.addEventListener("htmx:sseError", function () { live("lost", "reconnecting…"); });

  // A page left for another must give its stream up: the browser keeps a left page for a while (to go back to
  // it at once), stream and all, and has only six connections to a server, so six pages visited would leave
  // none for the seventh. Swapping the live part out through htmx closes its stream (htmx cleans up what it
  // swaps out); a page brought back is loaded again.
  window.addEventListener("pagehide", function () {
    document.querySelectorAll("[sse-connect]").forEach(function (el) {
      htmx.swap(el, "", { swapStyle: "outerHTML" });
    });
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) location.reload();
  });
})();
