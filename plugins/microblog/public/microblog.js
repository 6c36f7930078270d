/* global document, window, DOMParser */
// Optional enhancement; every microblog page works without it (the CSP allows script files from
// this site only). Two things: a character counter under each text area, and new posts added to
// the top of an open stream by asking its address with `?since=` for posts after the newest shown.
(function () {
  'use strict';

  // ----- the character counter: characters as a person counts them (graphemes), as the server does
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  function length(text) {
    var trimmed = text.replace(/\r\n?/g, '\n').trim();
    if (!segmenter) return Array.from(trimmed).length;
    var n = 0;
    // eslint-disable-next-line no-unused-vars -- only counting
    for (var _segment of segmenter.segment(trimmed)) n++;
    return n;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-mb-counter]'), function (counter) {
    var field = document.getElementById(counter.getAttribute('data-mb-counter'));
    if (!field) return;
    var limit = Number(counter.getAttribute('data-limit'));
    function update() {
      var count = length(field.value);
      var over = count > limit;
      counter.textContent = fill(counter.getAttribute(over ? 'data-over' : 'data-text'), {
        count: count,
        limit: limit,
        over: count - limit,
      });
      counter.classList.toggle('over', over);
    }
    field.addEventListener('input', update);
    update();
  });

  // ----- new posts without a reload
  var stream = document.querySelector('[data-mb-stream][data-poll]');
  if (!stream || !window.fetch || !window.DOMParser) return;
  var live = document.querySelector('[data-mb-live]');
  var seconds = Math.max(5, Number(stream.getAttribute('data-seconds')) || 20);
  var busy = false;
  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    var url =
      stream.getAttribute('data-poll') + '?since=' + encodeURIComponent(stream.getAttribute('data-since') || '');
    fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-mb-stream]');
        if (!fresh) return;
        var since = fresh.getAttribute('data-since');
        if (since) stream.setAttribute('data-since', since);
        var added = Array.prototype.filter.call(fresh.children, function (item) {
          var article = item.querySelector('article[id]');
          return article && !document.getElementById(article.id);
        });
        // Newest first in the answer: put the oldest on top first, so the newest ends up first.
        added.reverse().forEach(function (item) {
          item.classList.add('mb-new');
          stream.insertBefore(document.importNode(item, true), stream.firstChild);
        });
        if (added.length) {
          var empty = document.querySelector('[data-mb-empty]');
          if (empty) empty.remove();
          if (live) live.textContent = fill(stream.getAttribute('data-announce') || '', { count: added.length });
        }
      })
      .catch(function () {
        // Offline or the server restarting: try again at the next tick.
      })
      .then(function () {
        busy = false;
      });
  }
  window.setInterval(poll, seconds * 1000);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) poll();
  });
})();
