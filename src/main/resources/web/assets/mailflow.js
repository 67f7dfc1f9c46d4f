// Gatehouse admin centre, mail flow pages: focus where the keyboard user needs it (no inline script: the CSP forbids it).
(function () {
  'use strict';

  // a form shown again with errors: focus the list of what to fix, whose links lead to the fields
  document.addEventListener('DOMContentLoaded', function () {
    var errors = document.getElementById('form-errors');
    if (errors) errors.focus();
  });

  // after a rule moved or was switched on or off, the list was replaced: focus the button the server names
  document.addEventListener('htmx:afterSettle', function () {
    var list = document.getElementById('rule-list');
    var id = list && list.getAttribute('data-focus');
    var button = id && document.getElementById(id);
    if (button) button.focus();
  });
})();
