// Advanced hunting page: Ctrl+Enter runs, recent queries (this browser's localStorage only), error positions, schema inserts, paging focus.
(function () {
  'use strict';

  var MAX_RECENT = 20;
  var form = document.getElementById('hunting-form');
  var editor = document.getElementById('query');
  var list = document.getElementById('recent-queries');
  if (!form || !editor || !list) return;
  // one list per organization: an operator's queries on one don't show on another
  var key = 'gatehouse.hunting.recent:' + (list.dataset.scope || '');

  // ---- running ----

  // Ctrl+Enter (Cmd+Enter on a Mac) runs the query. Tab is left alone: it moves focus, so the editor is no keyboard trap.
  editor.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', function () { remember(editor.value); });

  // The page's refusals carry REST's statuses (400, 410, 413, 429, 504); they are shown like any answer.
  document.addEventListener('htmx:beforeSwap', function (e) {
    var s = e.detail.xhr.status;
    if ([400, 410, 413, 429, 504].indexOf(s) >= 0 && e.detail.requestConfig && /^\/hunting\//.test(e.detail.requestConfig.path)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  // ---- the error's position ----

  function errorBox() { return document.getElementById('query-error'); }

  /** The editor says whether the query has an error, and where, after every answer. */
  function syncError() {
    var box = errorBox();
    var has = !!(box && box.textContent.trim());
    if (has) {
      editor.setAttribute('aria-invalid', 'true');
      editor.setAttribute('aria-describedby', 'query-error query-help');
    } else {
      editor.removeAttribute('aria-invalid');
      editor.setAttribute('aria-describedby', 'query-help');
    }
    return has ? box : null;
  }

  /** The text offset of 1-based line and column (columns count UTF-16 units, as the engine's do). */
  function offset(text, line, col) {
    var at = 0;
    for (var l = 1; l < line; l++) {
      var nl = text.indexOf('\n', at);
      if (nl < 0) return text.length;
      at = nl + 1;
    }
    return Math.min(text.length, at + col - 1);
  }

  function selectError(focus) {
    var box = errorBox();
    if (!box || !box.dataset.line) return;
    var at = offset(editor.value, +box.dataset.line, +box.dataset.col);
    if (focus) editor.focus();
    editor.setSelectionRange(at, Math.min(editor.value.length, at + 1));
  }

  document.addEventListener('click', function (e) {
    if (e.target.closest('#query-error button.goto')) selectError(true);
  });

  // the result's place is swapped whole, so a live region inside it would not be announced: this one stays put
  function announce() {
    var said = document.getElementById('hunting-status'); // refusals are role=alert, announced on their own
    var to = document.getElementById('hunting-announce');
    if (to) to.textContent = said ? said.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  document.addEventListener('htmx:afterSettle', function (e) {
    if (e.target.id === 'hunting-result') announce();
    if (e.target.id === 'hunting-result' || e.target.id === 'query-error') {
      // the caret moves to the error only if the user is still in the editor (Ctrl+Enter); focus is never taken
      if (syncError() && document.activeElement === editor) selectError(false);
    }
  });

  // ---- paging keeps the keyboard where it was ----

  var lastPager = null;
  document.addEventListener('htmx:beforeRequest', function (e) {
    var p = e.target.closest ? e.target.closest('[data-pager]') : null;
    lastPager = p ? p.dataset.pager : null;
  });
  document.addEventListener('htmx:afterSettle', function (e) {
    if (e.target.id !== 'hunting-table' || !lastPager) return;
    var again = document.querySelector('#hunting-table [data-pager="' + lastPager + '"]');
    if (again && again.tagName === 'FORM') again = again.querySelector('input[type=number]');
    if (!again) again = document.querySelector('#hunting-table .range');
    if (again) {
      if (!again.hasAttribute('href') && again.tagName !== 'INPUT') again.setAttribute('tabindex', '-1');
      again.focus();
    }
    lastPager = null;
  });

  // ---- recent queries: localStorage only, never sent anywhere ----

  function load() {
    try {
      var v = JSON.parse(localStorage.getItem(key) || '[]');
      return Array.isArray(v) ? v.filter(function (q) { return typeof q === 'string'; }) : [];
    } catch (err) {
      return [];
    }
  }

  function save(queries) {
    try {
      localStorage.setItem(key, JSON.stringify(queries));
    } catch (err) { /* storage full or disabled: the list just isn't kept */ }
  }

  function remember(query) {
    if (!query.trim()) return;
    var queries = load().filter(function (q) { return q !== query; });
    queries.unshift(query);
    save(queries.slice(0, MAX_RECENT));
    show();
  }

  /** One line of a query for the list: its words with the white space squeezed, cut at 90 characters. */
  function label(query) {
    var s = query.replace(/\s+/g, ' ').trim();
    return s.length > 90 ? s.slice(0, 89) + '\u2026' : s;
  }

  function show() {
    var queries = load();
    list.replaceChildren();
    queries.forEach(function (q) {
      var li = document.createElement('li');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'recent-query mono';
      b.textContent = label(q); // text, never markup: a query may hold anything
      b.title = q;
      b.addEventListener('click', function () {
        editor.value = q;
        editor.focus();
        editor.setSelectionRange(q.length, q.length);
      });
      li.appendChild(b);
      list.appendChild(li);
    });
    document.getElementById('recent-empty').hidden = queries.length > 0;
    document.getElementById('recent-clear').hidden = queries.length === 0;
  }

  document.getElementById('recent-clear').addEventListener('click', function () {
    save([]);
    show();
    editor.focus();
  });

  // ---- schema: a column's name goes in at the caret ----

  document.addEventListener('click', function (e) {
    var b = e.target.closest('button.insert');
    if (!b) return;
    var start = editor.selectionStart, end = editor.selectionEnd, text = b.dataset.insert;
    editor.setRangeText(text, start, end, 'end');
    editor.focus();
  });

  show();
  syncError();
})();
