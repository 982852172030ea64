// The book's Plotly figures after drawing (see book_extensions/plotly_offline.py, which
// dispatches "course-figure-drawn" on each figure, and nato_russia/style.py, which
// builds them). For every figure, this file:
//  * fits it to its width: title rewrapped, top margin measured to hold title and legend,
//    on narrow screens a taller plot, fewer date ticks, smaller text and the side margins
//    left to automargin; and fits it again whenever that width changes (window, sidebar,
//    an opened solution);
//  * places key-event labels (annotations named "key-event") so that none overlaps
//    another label, a lane name or the figure's edge, hiding those that cannot fit; and
//    places them again when a zoom, pan, autoscale or reset moves the axes, never in
//    answer to its own relayouts (see ownRelayout and replaceLabelsIfMoved);
//  * follows the theme (html[data-theme]): background, grid and text colours switch
//    with Plotly.relayout, the data are not redrawn;
//  * shows the details of a clicked or tapped point in a live region under the figure;
//  * makes the mode-bar buttons reachable and usable from the keyboard;
//  * turns the URLs in the data tables' "Primary document" column into links.
(function () {
  "use strict";
  var NARROW = 600; // figure width (px) below which the phone layout applies
  // Names and numbers shared with the Python that builds the figures (nato_russia/figure_contract.py),
  // written by the build into figure-contract.js, which loads before this file.
  var CONTRACT = window.courseFigureContract;
  var KEY_EVENT = CONTRACT.KEY_EVENT;
  var DOCUMENT_COLUMN = CONTRACT.DOCUMENT_COLUMN;
  var PERIOD_ANNOTATION = CONTRACT.PERIOD_ANNOTATION;
  var EVENT = {}; // customdata position of each of EVENT_COLUMNS
  CONTRACT.EVENT_COLUMNS.forEach(function (name, i) { EVENT[name] = i; });
  var GAP = 7; // px between a marker and its label
  var BASE_MARGIN = CONTRACT.BASE_MARGIN; // the margin before room is made for labels
  var NUDGES = [0, 12, 24, 36]; // px a label may move sideways, away from its marker, to find room
  var THEMES = {
    // paper: the page's figure background in dark mode, defined once in course.css (--course-figure-dark-paper)
    dark: { paper: null, font: "#d8dde3", grid: "#363c45", line: "#9aa4ae", label: "rgba(27,31,38,0.85)" },
  };

  function figures() {
    return Array.prototype.filter.call(document.querySelectorAll(".plotly-graph-div"), function (gd) {
      return gd._course;
    });
  }

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  function get(object, path) {
    return path.split(".").reduce(function (value, part) {
      var match = /^(\w+)\[(\d+)\]$/.exec(part);
      if (value === undefined || value === null) return undefined;
      return match ? (value[match[1]] || [])[+match[2]] : value[part];
    }, object);
  }

  // ---- every relayout this file makes goes through here. Plotly answers some relayouts with
  // one of its own (a full redraw of an autoranged axis beside inside tick labels relayouts
  // "xaxis.autorange"), emitted before the promise settles: while `own` is above zero, a
  // plotly_relayout is this file's doing and must not start another label placement.
  function ownRelayout(gd, update) {
    var course = gd._course;
    course.own += 1;
    function done() { course.own -= 1; }
    var relayout;
    try {
      relayout = Plotly.relayout(gd, update);
    } catch (error) {
      done();
      throw error;
    }
    return Promise.resolve(relayout).then(function (result) { done(); return result; },
                                          function (error) { done(); throw error; });
  }

  // The drawn range of every cartesian axis, as one string: labels need placing again only
  // when it differs from what they were placed for.
  function axisRanges(gd) {
    var layout = gd._fullLayout || {};
    return Object.keys(layout).filter(function (name) { return /^[xy]axis\d*$/.test(name); }).sort()
      .map(function (name) { return name + ":" + (layout[name].range || []).join(","); }).join(";");
  }

  // ---- keyboard: Plotly's mode-bar buttons are links without href, which Tab skips.
  function enableKeyboard(gd) {
    gd.querySelectorAll(".modebar-btn").forEach(function (button) {
      if (button.dataset.keyboard) return;
      button.dataset.keyboard = "yes";
      button.setAttribute("tabindex", "0");
      button.setAttribute("role", "button");
      button.setAttribute("aria-label", button.getAttribute("data-title") || "Chart control");
      button.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          button.dispatchEvent(new MouseEvent("click", { bubbles: true }));
        }
      });
    });
  }

  // ---- theme: the layout keys that carry colours, and what they were in light mode.
  function colourKeys(gd) {
    var keys = { paper_bgcolor: "paper", plot_bgcolor: "paper", "font.color": "font", "legend.bgcolor": "paper" };
    Object.keys(gd._fullLayout).forEach(function (name) {
      if (/^[xy]axis\d*$/.test(name)) {
        keys[name + ".gridcolor"] = "grid";
        if ((gd.layout[name] || {}).minor) keys[name + ".minor.gridcolor"] = "grid"; // else it would switch minor ticks on
        keys[name + ".linecolor"] = "line";
        keys[name + ".tickcolor"] = "line";
        keys[name + ".zerolinecolor"] = "line";
      } else if (/^geo\d*$/.test(name)) {
        keys[name + ".bgcolor"] = "paper";
      }
    });
    (gd.layout.annotations || []).forEach(function (annotation, i) {
      if (annotation.bgcolor) keys["annotations[" + i + "].bgcolor"] = "label";
    });
    return keys;
  }

  function themeUpdate(gd) {
    var keys = colourKeys(gd), light = gd._course.light, update = {};
    Object.keys(keys).forEach(function (key) {
      if (!(key in light)) {
        var value = get(gd.layout, key);
        light[key] = value === undefined ? null : value; // null: back to the template's colour
      }
      update[key] = isDark() ? darkColour(keys[key]) : light[key];
    });
    return update;
  }

  function darkColour(role) {
    if (role !== "paper") return THEMES.dark[role];
    return getComputedStyle(document.documentElement).getPropertyValue("--course-figure-dark-paper").trim();
  }

  // ---- width: title lines, top margin, phone layout.
  function plainTitle(gd) {
    var title = gd.layout.title;
    return String((title && (title.text || title)) || "").replace(/<br\s*\/?>/gi, " ");
  }

  function wrap(text, perLine) {
    var lines = [], line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > perLine) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines.join("<br>");
  }

  // Fonts differ between systems: if the drawn title is still too wide, wrap it shorter.
  function fitTitle(gd, perLine, tries) {
    var title = gd.querySelector(".gtitle"), box = gd.getBoundingClientRect();
    if (!title || !tries || title.getBoundingClientRect().right <= box.right - 4) return Promise.resolve();
    var shorter = Math.max(12, Math.floor(perLine * 0.85));
    return ownRelayout(gd, { "title.text": wrap(gd._course.title, shorter) }).then(function () {
      return fitTitle(gd, shorter, tries - 1);
    });
  }

  // Plotly anchors a wrapped title by its first line: move it down until all of it shows.
  function lowerTitle(gd) {
    var title = gd.querySelector(".gtitle"), box = gd.getBoundingClientRect();
    if (!title) return Promise.resolve();
    var overflow = box.top + 6 - title.getBoundingClientRect().top;
    if (Math.abs(overflow) < 1) return Promise.resolve();
    var y = (gd._fullLayout.title.y === undefined ? 1 : gd._fullLayout.title.y) - overflow / box.height;
    return ownRelayout(gd, { "title.y": Math.min(1, y) });
  }

  function topMargin(gd) {
    var top = gd.getBoundingClientRect().top;
    var title = gd.querySelector(".gtitle");
    var bottom = title ? title.getBoundingClientRect().bottom - top + 10 : 10;
    var legend = gd.querySelector(".legend");
    var legendHeight = legend && gd._fullLayout.showlegend ? legend.getBoundingClientRect().height : 0;
    return Math.ceil(bottom + (legendHeight ? legendHeight + 6 : 0));
  }

  // ---- key-event labels: first free place among above/below, right/left of the marker.
  function relative(rect, origin) {
    return { left: rect.left - origin.left, right: rect.right - origin.left, top: rect.top - origin.top, bottom: rect.bottom - origin.top };
  }

  function overlaps(a, b) {
    return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0;
  }

  function inside(box, area) {
    return box.left >= area.left && box.right <= area.right && box.top >= area.top && box.bottom <= area.bottom;
  }

  function pixel(axis, value) {
    return axis._offset + axis.l2p(axis.d2l(value));
  }

  function axisOf(gd, ref, letter) {
    var id = (ref || letter).replace(/ domain$/, "");
    return gd._fullLayout[letter + "axis" + id.slice(1)];
  }

  function placeLabels(gd) {
    var annotations = gd.layout.annotations || [];
    var keys = [];
    annotations.forEach(function (annotation, i) {
      if (annotation.name === KEY_EVENT) keys.push(i);
    });
    var drag = gd.querySelector(".nsewdrag");
    gd._course.placedFor = axisRanges(gd);
    if (!keys.length || !drag) return Promise.resolve();
    var origin = gd.getBoundingClientRect();
    var area = relative(drag.getBoundingClientRect(), origin);
    var taken = [];
    gd.querySelectorAll(".ytick text, .xtick text").forEach(function (text) {
      if (text.textContent.trim()) taken.push(relative(text.getBoundingClientRect(), origin));
    });
    annotations.forEach(function (annotation, i) {
      var element = gd.querySelector('.annotation[data-index="' + i + '"]');
      if (annotation.name !== KEY_EVENT && element) taken.push(relative(element.getBoundingClientRect(), origin));
    });
    var update = {}, wanted = [];
    keys.forEach(function (i) {
      var annotation = annotations[i];
      var element = gd.querySelector('.annotation[data-index="' + i + '"] .annotation-text-g');
      var xa = axisOf(gd, annotation.xref, "x"), ya = axisOf(gd, annotation.yref, "y");
      if (!element || !xa || !ya) return;
      var size = element.getBoundingClientRect();
      wanted.push({ i: i, x: pixel(xa, annotation.x), y: pixel(ya, annotation.y), w: size.width, h: size.height,
                    below: annotation.yanchor === "top" });
    });
    wanted.sort(function (a, b) { return a.x - b.x; });
    wanted.forEach(function (label) {
      var vertical = label.below ? ["below", "above"] : ["above", "below"];
      var choice = null;
      // Beside the marker first; then nudged up to NUDGE px further away from it (a lane
      // name or a neighbour's label may sit right where the label would start).
      NUDGES.some(function (nudge) {
        return vertical.some(function (side) {
          return ["right", "left"].some(function (direction) {
            var shift = direction === "right" ? nudge - 3 : 3 - nudge;
            var left = direction === "right" ? label.x + shift : label.x + shift - label.w;
            var top = side === "above" ? label.y - GAP - label.h : label.y + GAP;
            var box = { left: left, right: left + label.w, top: top, bottom: top + label.h };
            if (!inside(box, area) || taken.some(function (other) { return overlaps(box, other); })) return false;
            choice = { box: box, side: side, direction: direction, shift: shift };
            return true;
          });
        });
      });
      var prefix = "annotations[" + label.i + "].";
      update[prefix + "visible"] = !!choice;
      if (!choice) return;
      taken.push(choice.box);
      update[prefix + "xanchor"] = choice.direction === "right" ? "left" : "right";
      update[prefix + "xshift"] = choice.shift;
      update[prefix + "yanchor"] = choice.side === "above" ? "bottom" : "top";
      update[prefix + "yshift"] = choice.side === "above" ? GAP : -GAP;
    });
    // Hiding or showing a label can move an autoranged axis (Plotly counts annotations in
    // autorange): the labels stay as placed, and count as placed for the range that results,
    // so that the placement converges instead of chasing its own effect.
    return ownRelayout(gd, update).then(function () { gd._course.placedFor = axisRanges(gd); });
  }

  // After a zoom, pan, autoscale, reset or a legend click that rescaled an axis, labels move
  // with the data: place them again, once, if the axes moved since they were last placed.
  function replaceLabelsIfMoved(gd) {
    var course = gd._course;
    if (course.own || course.replaceQueued) return; // our own relayout, or a placement already waiting
    course.replaceQueued = true;
    course.pass = course.pass.then(function () {
      course.replaceQueued = false;
      if (axisRanges(gd) !== course.placedFor) return placeLabels(gd);
    }).catch(function (error) {
      course.replaceQueued = false;
      console.warn("course figure labels:", error);
    });
  }

  // Names on a category y axis take the plot's width on a phone: break them onto short lines.
  function categoryLabels(gd, narrow) {
    var update = {};
    Object.keys(gd._fullLayout).forEach(function (name) {
      var axis = gd._fullLayout[name];
      if (!/^yaxis\d*$/.test(name) || axis.type !== "category" || (gd.layout[name] || {}).ticktext && !gd._course.wrappedAxes[name]) return;
      gd._course.wrappedAxes[name] = true;
      var names = axis._categories || [];
      update[name + ".tickmode"] = narrow ? "array" : null;
      update[name + ".tickvals"] = narrow ? names.slice() : null;
      update[name + ".ticktext"] = narrow ? names.map(function (n) { return wrap(String(n), 12); }) : null;
    });
    return update;
  }

  // Labels the figure re-places start visible; period names break after the dash on phones.
  function annotationUpdate(gd, narrow) {
    var update = {}, texts = gd._course.periodTexts;
    (gd.layout.annotations || []).forEach(function (annotation, i) {
      if (annotation.name === KEY_EVENT) update["annotations[" + i + "].visible"] = true;
      if (annotation.name === PERIOD_ANNOTATION) {
        if (!(i in texts)) texts[i] = annotation.text;
        update["annotations[" + i + "].text"] = narrow ? texts[i].replace(/–/, "–<br>") : texts[i];
        var range = gd._course.yRange;
        if (range) update["yaxis.range"] = narrow ? [range[0], range[1] + 0.35] : range.slice(); // room for the second line
      }
    });
    return update;
  }

  // A map keeps one scale on both axes (nato_russia.maps anchors its y axis to x and gives
  // both ranges): the figure takes the height its width needs for the whole map, on any screen.
  function fitMapHeight(gd) {
    var x = gd.layout.xaxis || {}, y = gd.layout.yaxis || {}, size = gd._fullLayout._size;
    if (y.scaleanchor !== "x" || !x.range || !y.range) return Promise.resolve();
    var aspect = Math.abs((y.range[1] - y.range[0]) / (x.range[1] - x.range[0])) * (y.scaleratio || 1);
    var height = Math.ceil(size.t + size.b + (gd.getBoundingClientRect().width - size.l - size.r) * aspect);
    gd.style.height = height + "px";
    return ownRelayout(gd, { height: height });
  }

  // One layout pass: width first (title, height, ticks), then the margin the drawn title
  // and legend need, then the labels. Passes for one figure run one after another.
  function fit(gd) {
    gd._course.pass = gd._course.pass.then(function () {
      var course = gd._course;
      var width = gd.getBoundingClientRect().width;
      if (!width) { course.width = 0; return; } // hidden: fitted when it is shown (see widthChanged)
      var narrow = width < NARROW;
      var height = narrow ? Math.round(course.height * 1.2) : course.height;
      var titleSize = narrow ? course.titleSize - 2 : course.titleSize;
      gd.style.height = height + "px";
      var update = Object.assign({
        width: Math.floor(width), // plotly.js keeps the width it first drew at; follow the container
        height: height,
        "title.font.size": titleSize,
        "font.size": narrow ? course.fontSize - 1 : course.fontSize,
        "legend.font.size": narrow ? 11 : course.legendSize,
      }, annotationUpdate(gd, narrow), themeUpdate(gd));
      // The margins built for the desktop's labels (nato_russia.style) would leave room unused under a
      // phone's smaller, fewer labels: there automargin measures them instead.
      ["l", "b"].forEach(function (side) {
        var built = course.margins[side];
        if (built !== undefined) update["margin." + side] = narrow ? Math.min(built, BASE_MARGIN) : built;
      });
      if (course.dateAxis) update["xaxis.nticks"] = narrow ? 5 : null;
      Object.assign(update, categoryLabels(gd, narrow));
      var perLine = Math.max(20, Math.floor((width - 24) / (titleSize * 0.56)));
      update["title.text"] = wrap(course.title, perLine);
      return ownRelayout(gd, update)
        .then(function () { return fitTitle(gd, perLine, 3); })
        .then(function () { return lowerTitle(gd); })
        .then(function () { return ownRelayout(gd, { "margin.t": topMargin(gd) }); })
        .then(function () { return fitMapHeight(gd); })
        .then(function () { return placeLabels(gd); })
        .then(function () {
          course.width = width;
          gd.dataset.courseLayout = narrow ? "narrow" : "wide";
        });
    }).catch(function (error) {
      console.warn("course figure layout:", error);
    });
    return gd._course.pass;
  }

  // ---- tap or click: the point's details in a live region under the figure.
  // Hover text as plain text: Plotly's own tags (<b>, <br>) go, and the entities that
  // nato_russia.text.plotly_text wrote for the data's &, < and > become characters again,
  // so a title is shown as typed. An inert parsed document runs no script and loads nothing.
  function text(value) {
    var markup = String(value === undefined || value === null ? "" : value).replace(/<br\s*\/?>/gi, " ");
    return new DOMParser().parseFromString(markup, "text/html").body.textContent;
  }

  function paragraph(panel, content, className) {
    if (!content) return;
    var p = document.createElement("p");
    if (className) p.className = className;
    p.textContent = content;
    panel.appendChild(p);
    return p;
  }

  function showDetails(gd, event) {
    var point = event.points && event.points[0];
    if (!point) return;
    var panel = document.getElementById(gd.id + "-details");
    panel.textContent = "";
    var meta = point.data && point.data.meta;
    var data = point.customdata;
    if (meta && meta.details === CONTRACT.EVENT_DETAILS.details && data) {
      paragraph(panel, text(data[EVENT.when]), "course-figure-details-when");
      var strong = document.createElement("strong");
      strong.textContent = text(data[EVENT.title]);
      paragraph(panel, " ", "course-figure-details-title").replaceChildren(strong);
      paragraph(panel, text(data[EVENT.summary]));
      paragraph(panel, text(data[EVENT.sources]), "course-figure-details-sources");
      if (/^https:\/\//.test(data[EVENT.url] || "")) {
        var link = document.createElement("a");
        link.href = data[EVENT.url];
        link.textContent = DOCUMENT_COLUMN;
        paragraph(panel, " ", "course-figure-details-document").replaceChildren(link);
      }
    } else {
      // Any other figure: the lines of the hover label Plotly shows for the point.
      var hover = gd.querySelector(".hoverlayer .hovertext text.nums") || gd.querySelector(".hoverlayer .hovertext text");
      var lines = hover ? Array.prototype.map.call(hover.querySelectorAll("tspan.line"), function (t) { return t.textContent; }) : [];
      if (hover && !lines.length) lines = [hover.textContent];
      lines.filter(function (line) { return line.trim(); }).forEach(function (line) { paragraph(panel, line); });
    }
    panel.hidden = !panel.childNodes.length;
  }

  function addDetailsPanel(gd) {
    var panel = document.createElement("div");
    panel.id = gd.id + "-details";
    panel.className = "course-figure-details";
    panel.setAttribute("aria-live", "polite");
    panel.hidden = true;
    gd.insertAdjacentElement("afterend", panel);
    gd.on("plotly_click", function (event) {
      // the hover label is drawn on the same click; read it once Plotly has drawn it
      window.requestAnimationFrame(function () { showDetails(gd, event); });
    });
  }

  // ---- set-up of one drawn figure.
  function setUp(gd) {
    if (gd._course) return fit(gd);
    var layout = gd.layout;
    gd._course = {
      pass: Promise.resolve(),
      own: 0,               // relayouts of this file under way (ownRelayout)
      placedFor: null,      // axisRanges when key-event labels were last placed
      replaceQueued: false, // a replaceLabelsIfMoved check waits in `pass`
      height: layout.height || gd.getBoundingClientRect().height,
      title: plainTitle(gd),
      titleSize: get(layout, "title.font.size") || 17,
      fontSize: get(layout, "font.size") || 13,
      legendSize: get(layout, "legend.font.size") || null,
      margins: { l: get(layout, "margin.l"), b: get(layout, "margin.b") },
      dateAxis: gd._fullLayout.xaxis && gd._fullLayout.xaxis.type === "date",
      light: {},
      periodTexts: {},
      wrappedAxes: {},
      yRange: layout.yaxis && Array.isArray(layout.yaxis.range) ? layout.yaxis.range.slice() : null,
    };
    enableKeyboard(gd);
    gd.on("plotly_afterplot", function () { enableKeyboard(gd); }); // the mode bar is redrawn after zooms
    gd.on("plotly_relayout", function () { replaceLabelsIfMoved(gd); });
    gd.on("plotly_restyle", function () { replaceLabelsIfMoved(gd); }); // a hidden trace can rescale an autoranged axis
    addDetailsPanel(gd);
    return fit(gd);
  }

  document.addEventListener("course-figure-drawn", function (event) {
    setUp(event.target);
  });

  // ---- a figure whose width changes is fitted again: a window resized or turned, a sidebar
  // toggled, or a folded solution opened (a figure drawn while its solution was folded is
  // drawn at the fold's width, wider than the opened solution's content).
  function widthChanged(gd) {
    var width = gd.getBoundingClientRect().width;
    return gd._course.width !== undefined && width > 0 && Math.abs(width - gd._course.width) > 1;
  }

  if ("ResizeObserver" in window) {
    var resized = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        var gd = entry.target;
        if (!gd._course || !widthChanged(gd)) return;
        delete gd.dataset.courseLayout; // set again when the new layout pass is done
        window.clearTimeout(gd._course.resizeTimer);
        gd._course.resizeTimer = window.setTimeout(function () { fit(gd); }, 100);
      });
    });
    document.addEventListener("course-figure-drawn", function (event) { resized.observe(event.target); });
  } else {
    var resizeTimer;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(function () {
        figures().forEach(function (gd) {
          if (widthChanged(gd)) fit(gd);
        });
      }, 250);
    });
  }

  new MutationObserver(function () {
    figures().forEach(function (gd) {
      gd._course.pass = gd._course.pass.then(function () { return ownRelayout(gd, themeUpdate(gd)); });
    });
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });

  // ---- data tables: a URL in the "Primary document" column becomes a link.
  function linkDocuments() {
    document.querySelectorAll("table.plotly-data-table").forEach(function (table) {
      var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      var column = headers.indexOf(DOCUMENT_COLUMN), eventColumn = headers.indexOf("Event");
      if (column < 0) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var cell = row.cells[column], url = cell && cell.textContent.trim();
        if (!/^https:\/\//.test(url || "")) return;
        var link = document.createElement("a");
        link.href = url;
        link.textContent = DOCUMENT_COLUMN;
        if (eventColumn >= 0) {
          var hidden = document.createElement("span");
          hidden.className = "visually-hidden";
          hidden.textContent = ": " + row.cells[eventColumn].textContent.trim();
          link.appendChild(hidden);
        }
        cell.replaceChildren(link);
      });
    });
  }

  window.courseFigures = { linkDocuments: linkDocuments, fit: fit };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", linkDocuments);
  else linkDocuments();
})();
