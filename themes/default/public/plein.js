/* global document */
// Optional enhancement; every page works without it (the CSP allows script files from this site only).
(function () {
  'use strict';
  // After a form comes back with problems, move focus to the summary so screen readers read it first.
  var summary = document.querySelector('.form-errors');
  if (summary) {
    summary.setAttribute('tabindex', '-1');
    summary.focus();
  }
})();
