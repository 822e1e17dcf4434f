/* Articula's admin behaviour, as a file: the Content-Security-Policy allows no inline scripts or
   event handlers ("onclick"), so confirmations and bulk actions are wired here by data attributes. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var confirmer = target.closest("[data-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    var link = target.closest('a[href="#"]');
    if (link) {
      event.preventDefault(); // menu toggles and filter names: behaviour only, no navigation
    }
    var action = target.closest("[data-model-action]");
    if (action && window.modelActions) {
      event.preventDefault();
      window.modelActions.execute(action.getAttribute("data-model-action"));
    }
  });
})();
