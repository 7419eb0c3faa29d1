/*
 * Date fields typed as dd/mm/yyyy (common.fields.VietnameseDateField, marked data-date-picker):
 * a small button beside each opens the browser's own date picker (a native <input type=date>),
 * and the chosen day is written back into the text field as dd/mm/yyyy.
 */
(function () {
  "use strict";

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function toIso(text) {
    var m = /^(\d{1,2})[\/.\-]?(\d{1,2})[\/.\-]?(\d{4})$/.exec((text || "").trim());
    return m ? m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]) : "";
  }

  function attach(input) {
    if (input.dataset.datePickerReady) {
      return;
    }
    input.dataset.datePickerReady = "1";
    var native = document.createElement("input");
    native.type = "date";
    native.tabIndex = -1;
    native.className = "js-native-date";
    native.setAttribute("aria-hidden", "true");
    native.style.cssText = "position:absolute;width:1px;height:1px;opacity:0;border:0;padding:0";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary js-date-picker";
    button.setAttribute("aria-label", input.getAttribute("data-date-picker") || "");
    button.title = input.getAttribute("data-date-picker") || "";
    button.innerHTML = '<i class="bi bi-calendar3" aria-hidden="true"></i>';
    var group = document.createElement("div");
    group.className = "input-group position-relative";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    group.appendChild(button);
    group.appendChild(native);
    button.addEventListener("click", function () {
      native.value = toIso(input.value);
      if (typeof native.showPicker === "function") {
        try {
          native.showPicker();
          return;
        } catch (e) { /* not allowed here: fall back to focusing it */ }
      }
      native.focus();
    });
    native.addEventListener("change", function () {
      var parts = native.value.split("-");
      if (parts.length !== 3) {
        return;
      }
      input.value = parts[2] + "/" + parts[1] + "/" + parts[0];
      input.dispatchEvent(new Event("input", {bubbles: true}));
      input.dispatchEvent(new Event("change", {bubbles: true}));
    });
  }

  function init() {
    document.querySelectorAll("input[data-date-picker]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
