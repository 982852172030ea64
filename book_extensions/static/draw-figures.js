// Draw the book's Plotly figures (see book_extensions/plotly_offline.py).
// Each figure's JSON waits in <script class="plotly-spec" id="ID-spec">; a figure
// is drawn when it comes within reach of the viewport, one at a time and in page
// order, so the first screen's figure appears first and figures further down
// cost nothing until the reader scrolls towards them. After each drawing the
// figure's div dispatches a bubbling "course-figure-drawn" event (the book's
// figures.js listens for it).
(function () {
  "use strict";
  var ABOVE = 200, BELOW = 600; // start drawing this many px before a figure enters the viewport
  var AHEAD = ABOVE + "px 0px " + BELOW + "px 0px";
  var queue = [];
  var busy = false;

  function draw(div) {
    var spec = JSON.parse(document.getElementById(div.id + "-spec").textContent);
    return Plotly.newPlot(div, spec.data, spec.layout, spec.config).then(function (figure) {
      figure.dispatchEvent(new CustomEvent("course-figure-drawn", { bubbles: true }));
    });
  }

  function pump() {
    if (busy || !queue.length) return;
    busy = true;
    var div = queue.shift();
    draw(div).catch(function (error) { console.error(error); }).then(function () {
      busy = false;
      setTimeout(pump, 0); // let the browser paint this figure before the next one
    });
  }

  function request(div) {
    if (div.dataset.drawRequested) return;
    div.dataset.drawRequested = "yes";
    queue.push(div);
    pump();
  }

  function start() {
    var figures = Array.prototype.map.call(document.querySelectorAll("script.plotly-spec"), function (spec) {
      return document.getElementById(spec.id.replace(/-spec$/, ""));
    });
    window.addEventListener("beforeprint", function () { figures.forEach(request); });
    if (!("IntersectionObserver" in window)) { figures.forEach(request); return; }
    // Figures already on screen are drawn now, before the page's other start-up
    // work (the observer would only report them at the next frame); and again at
    // DOMContentLoaded, by when a link to a figure (#its-label) has scrolled there.
    function requestVisible() {
      figures.filter(function (div) {
        var box = div.getBoundingClientRect();
        return box.width > 0 && box.bottom >= -ABOVE && box.top <= window.innerHeight + BELOW;
      }).forEach(request);
    }
    requestVisible();
    if (document.readyState !== "complete") document.addEventListener("DOMContentLoaded", requestVisible);
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); request(entry.target); }
      });
    }, { rootMargin: AHEAD });
    figures.forEach(function (div) { observer.observe(div); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
