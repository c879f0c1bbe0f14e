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
