/*! Referloop tracking snippet (MIT). Served at /t.js; see README "Tracking snippet". */
// Plain ES5 on purpose: no build step, no dependency, and it runs on every browser a shop may see.
(function (w, d) {
  'use strict';
  var stub = w.referloop;
  if (stub && stub.loaded) return;

  var COOKIE = '_rl_ref';
  var script = d.currentScript;
  var config = {
    key: null,
    // The hub is wherever this file came from, unless init names another host.
    host: script && script.src ? script.src.replace(/\/t\.js(?:[?#].*)?$/, '') : '',
    cookieDays: 30,
    campaignId: null,
  };
  var captured = false;

  function assign(target, source) {
    for (var k in source) if (Object.prototype.hasOwnProperty.call(source, k) && source[k] !== undefined) target[k] = source[k];
    return target;
  }

  function readCookie() {
    var m = d.cookie.match(new RegExp('(?:^|;\\s*)' + COOKIE + '=([^;]*)'));
    if (!m) return {};
    try {
      var v = JSON.parse(decodeURIComponent(m[1]));
      return v && typeof v === 'object' ? v : {};
    } catch (e) {
      return {};
    }
  }

  function writeCookie(value) {
    var secure = w.location.protocol === 'https:' ? '; Secure' : '';
    d.cookie = COOKIE + '=' + encodeURIComponent(JSON.stringify(value)) + '; Max-Age=' + config.cookieDays * 86400 + '; Path=/; SameSite=Lax' + secure;
  }

  // A landing through a referral link carries ?ref=CODE&rl_click=clk_…: keep them for later pages.
  function capture() {
    captured = true;
    var q = w.location.search;
    var ref = param(q, 'ref');
    var click = param(q, 'rl_click');
    if (ref || click) writeCookie({ ref: ref, click: click, at: new Date().getTime() });
  }

  function param(query, name) {
    var m = query.match(new RegExp('[?&]' + name + '=([^&#]*)'));
    return m ? decodeURIComponent(m[1].replace(/\+/g, ' ')) : null;
  }

  // text/plain keeps the request "simple" (no CORS preflight); keepalive lets it finish while the
  // page unloads. sendBeacon is the fallback where fetch is missing.
  function send(path, body) {
    if (!config.key) return reject('referloop: call init with your publishable key (rl_pk_…) first');
    var url = config.host + path + '?key=' + encodeURIComponent(config.key);
    var text = JSON.stringify(body);
    if (w.fetch) {
      return w
        .fetch(url, { method: 'POST', body: text, keepalive: true, credentials: 'omit', mode: 'cors' })
        .then(function (res) {
          return res.json().then(function (json) {
            if (!res.ok) throw assign(new Error(json.detail || 'referloop request failed'), { status: res.status, problem: json });
            return json;
          });
        });
    }
    var sent = w.navigator.sendBeacon && w.navigator.sendBeacon(url, text);
    return sent ? resolve({ queued: true }) : reject('referloop: this browser cannot send');
  }

  function resolve(v) {
    return w.Promise ? w.Promise.resolve(v) : v;
  }
  function reject(message) {
    if (w.console) w.console.warn(message);
    return w.Promise ? w.Promise.reject(new Error(message)) : undefined;
  }

  function attribution() {
    var c = readCookie();
    return { ref: c.ref || undefined, rl_click: c.click || undefined };
  }

  var commands = {
    init: function (options) {
      options = options || {};
      if (options.key) config.key = options.key;
      if (options.host) config.host = String(options.host).replace(/\/+$/, '');
      if (options.cookie_days) config.cookieDays = options.cookie_days;
      if (options.campaign_id) config.campaignId = options.campaign_id;
      if (!captured) capture();
      return resolve({ ok: true });
    },
    // The visitor told us who they are (sign-up form): creates the referred participant when they came through a link.
    identify: function (person) {
      var a = attribution();
      if (!a.ref && !a.rl_click) return resolve({ attributed: false });
      return send('/t/v1/identify', assign(assign({}, person || {}), a));
    },
    // A business event: referloop('track', 'purchase', {email, amount: 4999, currency: 'USD', transaction_id}).
    track: function (event, data) {
      var body = assign(assign({ event: event, campaign_id: config.campaignId || undefined }, data || {}), attribution());
      return send('/t/v1/track', body);
    },
  };

  function referloop(command) {
    var fn = commands[command];
    if (!fn) return reject('referloop: unknown command ' + command);
    return fn.apply(null, Array.prototype.slice.call(arguments, 1));
  }
  referloop.loaded = true;
  referloop.version = 1;
  w.referloop = referloop;

  // Replay what the page queued before this file arrived (the loader stub keeps it in .q).
  var queue = (stub && stub.q) || [];
  for (var i = 0; i < queue.length; i++) {
    try {
      var result = referloop.apply(null, queue[i]);
      if (result && result.then) result.then(null, function () {});
    } catch (e) {
      if (w.console) w.console.warn(e);
    }
  }
  if (!captured) capture();
})(window, document);
