/* global document, window, URL, URLSearchParams */
// Loaded on the customer's own site next to the Referloop iframe: passes the referral (ref,
// rl_click) from this page's URL into the frame, and sizes the frame to its content.
(function () {
  'use strict';
  var frames = document.querySelectorAll('iframe[data-referloop]');
  var here = new URLSearchParams(window.location.search);
  var pass = ['ref', 'rl_click'];
  for (var i = 0; i < frames.length; i++) {
    var frame = frames[i];
    var src = new URL(frame.src, window.location.href);
    var changed = false;
    for (var j = 0; j < pass.length; j++) {
      var v = here.get(pass[j]);
      if (v && !src.searchParams.has(pass[j])) {
        src.searchParams.set(pass[j], v);
        changed = true;
      }
    }
    if (changed) frame.src = src.toString();
  }
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || d.type !== 'referloop:height' || typeof d.height !== 'number') return;
    for (var k = 0; k < frames.length; k++) {
      var f = frames[k];
      // Only the frame that sent it, and only from the hub it was loaded from.
      if (f.contentWindow === e.source && new URL(f.src, window.location.href).origin === e.origin) {
        f.style.height = Math.min(Math.max(d.height, 120), 5000) + 'px';
      }
    }
  });
})();
