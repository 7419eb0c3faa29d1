/*
 * Plan tracking portal – site behaviour.
 *
 * Loaded with `defer` after vendor/bootstrap/js/bootstrap.bundle.min.js.
 * No inline scripts or inline event handlers are used anywhere: the site runs
 * under a Content-Security-Policy without 'unsafe-inline'.
 *
 * Behaviours (all opt-in through markup):
 *   <form data-once="true">          submit buttons are disabled after the first
 *                                    submit; the clicked button shows a spinner.
 *   <select class="js-submit-on-enter">  submits its form on Enter, never on change
 *                                    (language switcher; WCAG 3.2.2).
 *   <div class="table-responsive">   while it scrolls sideways: role="region", a name
 *                                    (its table's caption or the heading before it) and
 *                                    tabindex="0", so keyboard users can scroll it.
 *   data-confirm="Message"           on a <form>, a submit button or a link: asks
 *                                    window.confirm() first; cancelling stops it.
 *   data-bs-toggle="tooltip"         Bootstrap tooltip.
 *   <div class="progress-bar" data-progress="42">  sets the bar width to 42 %.
 */
(function () {
  "use strict";

  var SUBMIT_SELECTOR = 'button[type="submit"], button:not([type]), input[type="submit"], input[type="image"]';

  /* ---------------------------------------------------------------- */
  /* (c) Confirmation prompts                                          */
  /* Registered first so that the other handlers can check             */
  /* event.defaultPrevented.                                           */
  /* ---------------------------------------------------------------- */

  // Links and buttons carrying data-confirm (a form's own data-confirm is
  // handled on submit below, so that pressing Enter is covered too).
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (!target || target.tagName === "FORM") {
      return;
    }
    if (target.disabled) {
      return;
    }
    var message = target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) {
      return;
    }
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });

  /* ---------------------------------------------------------------- */
  /* (a) Prevent double submission: <form data-once="true">            */
  /* ---------------------------------------------------------------- */

  // Remember the last submit button clicked, for browsers without
  // SubmitEvent.submitter.
  var lastClickedSubmit = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(SUBMIT_SELECTOR) : null;
    lastClickedSubmit = button && button.form ? button : null;
  });

  function addSpinner(button) {
    if (!button || button.tagName !== "BUTTON" || button.querySelector(".js-once-spinner")) {
      return;
    }
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-1 js-once-spinner";
    spinner.setAttribute("role", "status");
    spinner.setAttribute("aria-hidden", "true");
    button.insertBefore(spinner, button.firstChild);
    button.setAttribute("aria-busy", "true");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute("data-once") !== "true") {
      return;
    }
    if (event.defaultPrevented) {
      return; // cancelled (e.g. by a confirmation prompt): leave the form usable
    }
    if (form.getAttribute("data-once-submitted") === "true") {
      event.preventDefault(); // second submit: ignore
      return;
    }
    form.setAttribute("data-once-submitted", "true");

    var submitter = event.submitter || lastClickedSubmit;
    if (submitter && submitter.form !== form) {
      submitter = null;
    }

    // A disabled button is not sent with the form, so carry the clicked
    // button's name/value (e.g. "action=submit" vs "action=save_draft")
    // in a hidden input before disabling it.
    if (submitter && submitter.name) {
      var carrier = document.createElement("input");
      carrier.type = "hidden";
      carrier.name = submitter.name;
      carrier.value = submitter.value;
      carrier.className = "js-once-carrier";
      form.appendChild(carrier);
    }

    addSpinner(submitter);

    var buttons = form.querySelectorAll(SUBMIT_SELECTOR);
    // Buttons outside the form that point at it with form="id".
    var external = form.id ? document.querySelectorAll(
      'button[form="' + form.id + '"], input[type="submit"][form="' + form.id + '"]'
    ) : [];
    [].forEach.call(buttons, function (b) { b.disabled = true; });
    [].forEach.call(external, function (b) { b.disabled = true; });
  });

  // When the page is restored from the back/forward cache, make the forms
  // usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    [].forEach.call(document.querySelectorAll('form[data-once-submitted="true"]'), function (form) {
      form.removeAttribute("data-once-submitted");
      [].forEach.call(form.querySelectorAll(".js-once-carrier"), function (el) { el.remove(); });
      [].forEach.call(form.querySelectorAll(SUBMIT_SELECTOR), function (b) { b.disabled = false; });
      if (form.id) {
        [].forEach.call(document.querySelectorAll('[form="' + form.id + '"]'), function (b) { b.disabled = false; });
      }
    });
    [].forEach.call(document.querySelectorAll(".js-once-spinner"), function (el) {
      var button = el.parentNode;
      el.remove();
      if (button) {
        button.removeAttribute("aria-busy");
      }
    });
  });

  /* ---------------------------------------------------------------- */
  /* (b) <select class="js-submit-on-enter"> submits its form on Enter  */
  /* Never on change: moving through the options with the arrow keys   */
  /* must not reload the page (WCAG 3.2.2 On Input).                    */
  /* ---------------------------------------------------------------- */

  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (event.key !== "Enter" || !select.classList || !select.classList.contains("js-submit-on-enter") || !select.form) {
      return;
    }
    event.preventDefault();
    if (typeof select.form.requestSubmit === "function") {
      select.form.requestSubmit(); // fires the submit event (confirm / once handlers)
    } else {
      select.form.submit();
    }
  });

  /* ---------------------------------------------------------------- */
  /* On load: tooltips (d) and progress bar widths                     */
  /* ---------------------------------------------------------------- */

  function initTooltips(root) {
    if (!window.bootstrap || !window.bootstrap.Tooltip) {
      return;
    }
    [].forEach.call(root.querySelectorAll('[data-bs-toggle="tooltip"]'), function (el) {
      window.bootstrap.Tooltip.getOrCreateInstance(el);
    });
  }

  function initProgressBars(root) {
    // CSP forbids style="" attributes; setting element.style from a script
    // file is allowed.
    [].forEach.call(root.querySelectorAll("[data-progress]"), function (el) {
      var value = parseFloat(el.getAttribute("data-progress"));
      if (isNaN(value)) {
        return;
      }
      value = Math.max(0, Math.min(100, value));
      el.style.width = value + "%";
      // The value belongs on the element with role="progressbar" (the .progress around
      // the bar), which the template marks up.
      var bar = el.closest('[role="progressbar"]');
      if (bar) {
        bar.setAttribute("aria-valuenow", String(value));
      }
    });
  }

  /* Tables that scroll sideways (.table-responsive): while they do, a named region and
     a tab stop, so they can be scrolled from the keyboard (WCAG 2.1.1). Markup that
     sets tabindex itself is left alone. */

  function regionName(region) {
    var table = region.querySelector("table");
    if (table) {
      var caption = table.querySelector("caption");
      if (caption && caption.textContent.trim()) {
        return caption.textContent.trim();
      }
      if (table.getAttribute("aria-label")) {
        return table.getAttribute("aria-label");
      }
      var labelledby = table.getAttribute("aria-labelledby");
      var label = labelledby && document.getElementById(labelledby.split(" ")[0]);
      if (label && label.textContent.trim()) {
        return label.textContent.trim();
      }
    }
    // The closest heading before the region, in document order.
    var headings = document.querySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6");
    var found = null;
    [].forEach.call(headings, function (h) {
      if (h.compareDocumentPosition(region) & Node.DOCUMENT_POSITION_FOLLOWING) {
        found = h;
      }
    });
    return found ? found.textContent.replace(/\s+/g, " ").trim() : document.title.split("·")[0].trim();
  }

  function initScrollRegions(root) {
    [].forEach.call(root.querySelectorAll(".table-responsive"), function (region) {
      if (region.hasAttribute("tabindex") && !region.hasAttribute("data-portal-region")) {
        return; // the template marked it up itself
      }
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("data-portal-region", "");
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", regionName(region));
        region.setAttribute("tabindex", "0");
      } else if (region.hasAttribute("data-portal-region")) {
        region.removeAttribute("data-portal-region");
        region.removeAttribute("role");
        region.removeAttribute("aria-label");
        region.removeAttribute("tabindex");
      }
    });
  }

  var resizeQueued = false;
  window.addEventListener("resize", function () {
    if (resizeQueued) {
      return;
    }
    resizeQueued = true;
    window.requestAnimationFrame(function () {
      resizeQueued = false;
      initScrollRegions(document);
    });
  });

  function init() {
    initTooltips(document);
    initProgressBars(document);
    initScrollRegions(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  // Small public hook for page scripts that add content dynamically.
  window.Portal = window.Portal || {};
  window.Portal.init = function (root) {
    root = root || document;
    initTooltips(root);
    initProgressBars(root);
    initScrollRegions(root);
  };
})();
