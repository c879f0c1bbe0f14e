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

// The phone menu: hidden behind its button only when this script runs (without it, it stays open).
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  const target = event.target instanceof Element ? event.target : null;
  const toggle = target && target.closest("[data-menu-toggle]");
  if (toggle) {
    const menu = document.getElementById(toggle.getAttribute("aria-controls"));
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    if (menu) menu.classList.toggle("open", open);
    return;
  }
  // A click outside an open dropdown closes it, as a menu does.
  document.querySelectorAll("details.dropdown[open]").forEach(function (details) {
    if (!target || !details.contains(target)) details.removeAttribute("open");
  });
});

// Escape closes the open dropdown (or the phone menu) and gives focus back to what opened it.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  const open = document.querySelector("details.dropdown[open]");
  if (open) {
    open.removeAttribute("open");
    open.querySelector("summary").focus();
    return;
  }
  const toggle = document.querySelector("[data-menu-toggle][aria-expanded=true]");
  if (toggle) {
    toggle.click();
    toggle.focus();
  }
});
