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
 *   <select class="js-autosubmit">   submits its form on change (language switcher).
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
  /* (b) <select class="js-autosubmit"> submits its form on change     */
  /* ---------------------------------------------------------------- */

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.classList || !select.classList.contains("js-autosubmit") || !select.form) {
      return;
    }
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
      if (!el.hasAttribute("aria-valuenow")) {
        el.setAttribute("aria-valuenow", String(value));
      }
    });
  }

  function init() {
    initTooltips(document);
    initProgressBars(document);
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
  };
})();
