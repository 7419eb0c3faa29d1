/*
 * Consolidated report page: follow the files being generated.
 *
 * Each unfinished row carries data-snapshot-status="<url>" (JSON: state, label, progress,
 * finished, download, error). The row is polled until the file is ready or failed; its
 * progress bar (data-progress, width set from script because the CSP forbids style="")
 * and its download link are updated in place. No inline script, no innerHTML.
 */
(function () {
  "use strict";

  var INTERVAL = 1500;
  var MAX_INTERVAL = 10000;

  function setProgress(row, value) {
    var bar = row.querySelector(".js-snapshot-bar");
    if (!bar) {
      return;
    }
    value = Math.max(0, Math.min(100, Number(value) || 0));
    bar.setAttribute("data-progress", String(value));
    bar.style.width = value + "%";
    var track = bar.parentNode;
    if (track && track.getAttribute("role") === "progressbar") {
      track.setAttribute("aria-valuenow", String(value));
    }
  }

  function finish(row, data) {
    var bar = row.querySelector(".js-snapshot-bar");
    if (bar && bar.parentNode) {
      bar.parentNode.remove();
    }
    if (data.download) {
      var link = row.querySelector(".js-snapshot-download");
      if (link) {
        link.setAttribute("href", data.download);
        link.classList.remove("d-none");
      }
      var meta = row.querySelector(".js-snapshot-meta");
      if (meta && data.sha256) {
        meta.textContent = "SHA-256 " + data.sha256.slice(0, 16) + "…";
      }
    }
    if (data.error) {
      var error = row.querySelector(".js-snapshot-error");
      if (error) {
        error.textContent = data.error;
      }
    }
    row.removeAttribute("data-snapshot-status");
    dropBannerWhenAllFinished();
  }

  function dropBannerWhenAllFinished() {
    if (document.querySelector("[data-snapshot-status]")) {
      return;
    }
    // Nothing left being generated: the "being generated" banner is no longer true.
    [].forEach.call(document.querySelectorAll(".js-generating-banner"), function (banner) {
      banner.remove();
    });
  }

  function poll(row, delay) {
    var url = row.getAttribute("data-snapshot-status");
    if (!url) {
      return;
    }
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          var label = row.querySelector(".js-snapshot-label");
          if (label) {
            label.textContent = data.label;
          }
          setProgress(row, data.progress);
          if (data.finished) {
            finish(row, data);
          } else {
            poll(row, INTERVAL);
          }
        })
        .catch(function () {
          poll(row, Math.min(delay * 2, MAX_INTERVAL)); // a hiccup: back off, keep trying
        });
    }, delay);
  }

  function init() {
    dropBannerWhenAllFinished(); // a file built before the page loaded
    [].forEach.call(document.querySelectorAll("[data-snapshot-status]"), function (row) {
      poll(row, INTERVAL);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
