// The quarterly report's one-click print button (our CSP allows no inline script).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
