// newsprism UI: the only script (served from /static, as the Content-Security-Policy requires).
// Legend buttons hide or show the highlights of one technique; nothing here reads article text.
"use strict";

function toggleTechnique(button) {
  const name = button.dataset.technique;
  const shown = button.getAttribute("aria-pressed") !== "true";
  button.setAttribute("aria-pressed", String(shown));
  for (const mark of document.querySelectorAll("mark.tech")) {
    if (mark.dataset.technique === name) {
      mark.classList.toggle("off", !shown);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".legend-item")) {
    button.addEventListener("click", () => toggleTechnique(button));
  }
});
