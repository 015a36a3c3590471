// Puente staff admin: small progressive enhancements; every page also works without script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // On a phone the menu folds behind a real button (Tab reaches it, Enter or Space opens it,
  // Escape closes it); the stylesheet folds it only once this has run.
  const menuButton = document.querySelector(".menu-button");
  if (menuButton) {
    const header = menuButton.closest("header");
    header.classList.add("folding");
    menuButton.addEventListener("click", () => {
      menuButton.setAttribute("aria-expanded", String(menuButton.getAttribute("aria-expanded") !== "true"));
    });
    header.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true") {
        menuButton.setAttribute("aria-expanded", "false");
        menuButton.focus();
      }
    });
  }
  // Keep the newest simulator message in view.
  for (const box of document.querySelectorAll(".bubbles")) box.scrollTop = box.scrollHeight;
  // Ask before leaving a text editor with unsaved changes.
  for (const form of document.querySelectorAll("form[data-unsaved-warning]")) {
    let dirty = false;
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (event) => { if (dirty) { event.preventDefault(); } });
  }
  // Confirm destructive buttons (publish, restore, discard, disable).
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
  for (const link of document.querySelectorAll("a[data-back]")) {
    link.addEventListener("click", (event) => { event.preventDefault(); history.back(); });
  }
  // Open conversations with a person, in the menu, kept fresh without a reload.
  const count = document.querySelector("[data-handoff-count]");
  if (count) {
    const refresh = () => fetch("/admin/handoffs/count.json", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data) return;
        count.textContent = String(data.open);
        count.hidden = data.open === 0;
      })
      .catch(() => {});
    refresh();
    window.setInterval(refresh, 10000);
  }
  // The simulator's text box gets the focus so staff can type at once.
  const box = document.querySelector(".send input[name=text]");
  if (box) box.focus();
});
