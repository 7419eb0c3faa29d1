/*
 * The report form (templates/reports/submission.html): a warning on leaving with unsaved
 * changes, and autosave of the draft after some seconds without typing.
 *
 * Autosave posts the form's text (no files) with autosave=1 to the page's own URL, carrying the
 * version the page was read at; the server answers with the new version, or 409 when someone
 * saved in between. Then autosave stops and says so: nothing is overwritten, and the typed text
 * stays in the form (and the leaving warning stays on).
 */
(function () {
  "use strict";

  var form = document.getElementById("submission-form");
  if (!form || !form.hasAttribute("data-autosave-seconds")) {
    return;
  }
  var seconds = parseInt(form.getAttribute("data-autosave-seconds"), 10) || 0;
  var status = document.getElementById("autosave-status");
  var dirty = false;
  var stopped = false;
  var saving = false;
  var timer = null;

  function say(text, kind) {
    if (!status) {
      return;
    }
    status.textContent = text;
    status.className = "small align-self-center text-" + (kind || "body-secondary");
  }

  function markDirty() {
    dirty = true;
    if (timer) {
      window.clearTimeout(timer);
    }
    if (seconds > 0 && !stopped) {
      timer = window.setTimeout(autosave, seconds * 1000);
    }
  }

  function autosave() {
    if (!dirty || stopped) {
      return;
    }
    if (saving) {
      markDirty();  // try again once the current save is answered
      return;
    }
    saving = true;
    var data = new FormData(form);
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      data.delete(input.name);
    });
    data.delete("action");
    data.set("autosave", "1");
    dirty = false;  // typing during the request marks it dirty again
    say(form.getAttribute("data-autosave-saving"));
    fetch(window.location.pathname, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {"X-Requested-With": "fetch"}
    }).then(function (response) {
      return response.json().then(function (body) {
        return {status: response.status, body: body};
      });
    }).then(function (answer) {
      saving = false;
      if (answer.status === 200 && answer.body.ok) {
        form.querySelector('input[name="version"]').value = answer.body.version;
        say(answer.body.message, "success");
        return;
      }
      dirty = true;
      if (answer.status === 409) {
        stopped = true;
        say(answer.body.message, "danger");
        return;
      }
      say(answer.body.message, "warning");
    }).catch(function () {
      saving = false;
      dirty = true;
      say(form.getAttribute("data-autosave-failed"), "warning");
    });
  }

  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", function () {
    dirty = false;
    stopped = true;
    if (timer) {
      window.clearTimeout(timer);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
