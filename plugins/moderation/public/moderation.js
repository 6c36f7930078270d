/* global document, window, DOMParser */
// Enhancement only: every page works without it (plain forms and links).
// - The Report button of every content item opens the report form in a <dialog>.
// - The review queue answers j/k (next, previous item) and a/h/d/x (approve, hide, delete,
//   dismiss: picks the decision and moves to its reason, which a decision needs).
(function () {
  'use strict';
  if (window.pleinModeration) return;
  window.pleinModeration = true;

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // ----- the Report dialog
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-moderation-report]');
    if (!link || typeof document.createElement('dialog').showModal !== 'function') return;
    event.preventDefault();
    fetch(link.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(new Error(String(response.status)));
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        var main = page.querySelector('main');
        if (!main) throw new Error('no form');
        var dialog = document.createElement('dialog');
        dialog.className = 'moderation-dialog';
        dialog.setAttribute('aria-labelledby', 'moderation-dialog-title');
        var title = main.querySelector('h1');
        var heading = document.createElement('h2');
        heading.id = 'moderation-dialog-title';
        heading.textContent = title ? title.textContent : link.textContent;
        dialog.appendChild(heading);
        Array.prototype.forEach.call(main.children, function (child) {
          if (child.tagName !== 'H1' && !child.classList.contains('flash-region') && child.tagName !== 'LINK') {
            dialog.appendChild(document.importNode(child, true));
          }
        });
        dialog.addEventListener('click', function (e) {
          if (e.target.closest && e.target.closest('[data-dialog-close]')) {
            e.preventDefault();
            dialog.close();
          }
        });
        dialog.addEventListener('close', function () {
          dialog.remove();
          link.focus();
        });
        document.body.appendChild(dialog);
        dialog.showModal();
        var first = dialog.querySelector('input[type=radio], textarea, button');
        if (first) first.focus();
      })
      .catch(function () {
        window.location.href = link.href;
      });
  });

  // ----- keyboard shortcuts in the queue
  var queue = document.querySelector('[data-moderation-queue]');
  if (!queue) return;
  var hint = document.querySelector('[data-keys-hint]');
  if (hint) hint.hidden = false;
  var items = Array.prototype.slice.call(queue.querySelectorAll('[data-item]'));
  var current = -1;
  function select(index) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach(function (item, i) {
      item.classList.toggle('is-current', i === current);
    });
    items[current].focus();
    items[current].scrollIntoView({ block: 'nearest' });
  }
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var key = event.key.toLowerCase();
    if (key === 'j' || key === 'k') {
      event.preventDefault();
      select(current + (key === 'j' ? 1 : -1));
      return;
    }
    if (current < 0) return;
    var choice = items[current].querySelector('input[name=action][data-key="' + key + '"]');
    if (!choice) return;
    event.preventDefault();
    choice.checked = true;
    var reason = items[current].querySelector('textarea[name=reason]');
    if (reason) reason.focus();
  });
})();
