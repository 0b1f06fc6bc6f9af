/* global document, window, navigator, fetch, setTimeout, ResizeObserver */
// The share and join pages' only script: copy, share, beacons, and the embed's height. The pages
// work without it (the link is selectable, share buttons are plain links, the form posts).
(function () {
  'use strict';
  var body = document.body;
  var eventsUrl = body.getAttribute('data-events');

  function record(kind, channel) {
    if (!eventsUrl) return;
    var payload = { kind: kind };
    if (channel) payload.channel = channel;
    fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      keepalive: true,
      credentials: 'same-origin',
    }).catch(function () {});
  }

  var link = document.getElementById('referral-link');
  var copy = document.getElementById('copy-link');
  var status = document.getElementById('copy-status');
  function copied(ok) {
    status.textContent = ok ? 'Link copied' : 'Press Ctrl+C (or long-press) to copy the selected link';
    if (ok) record('link_copied');
  }
  if (link && copy) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      link.focus();
      link.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link.value).then(
          function () { copied(true); },
          function () { copied(document.execCommand('copy')); }
        );
      } else {
        copied(document.execCommand('copy'));
      }
    });
  }

  var shareLinks = document.querySelectorAll('[data-channel]');
  for (var i = 0; i < shareLinks.length; i++) {
    shareLinks[i].addEventListener('click', function (e) {
      record('link_shared', e.currentTarget.getAttribute('data-channel'));
    });
  }

  var native = document.getElementById('native-share');
  if (native && navigator.share && link) {
    native.parentNode.hidden = false;
    native.addEventListener('click', function () {
      navigator
        .share({ title: document.title, text: native.getAttribute('data-text'), url: native.getAttribute('data-url') })
        .then(function () { record('link_shared', 'native'); }, function () {});
    });
  }

  var form = document.getElementById('join-form');
  if (form) {
    form.addEventListener('submit', function () {
      var button = form.querySelector('button[type=submit]');
      // One submission per token: a double click would only meet "already used".
      setTimeout(function () { button.disabled = true; }, 0);
    });
  }
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  if (body.classList.contains('embed') && window.parent !== window) {
    var last = 0;
    var post = function () {
      var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (h === last) return;
      last = h;
      window.parent.postMessage({ type: 'referloop:height', page: body.getAttribute('data-page'), height: h }, '*');
    };
    post();
    window.addEventListener('load', post);
    if (typeof ResizeObserver === 'function') new ResizeObserver(post).observe(document.documentElement);
  }
})();
