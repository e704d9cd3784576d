/* vnsearch search box. Add to any page:
   <script src="https://SEARCH-HOST/widget.js" data-vnsearch-target="#search" async></script>
   Attributes: data-vnsearch-target (CSS selector; default: just before the
   script), data-vnsearch-size (results shown, 1-10, default 5),
   data-vnsearch-placeholder, data-vnsearch-open ("new" for a new tab).
   Everything lives in a Shadow DOM inside one function: no global names,
   no CSS in or out. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !window.fetch || !window.AbortController || !document.head.attachShadow) return;
  var base = new URL(script.src, location.href).origin;
  var data = function (k) { return script.getAttribute('data-vnsearch-' + k); };
  var size = Math.min(10, Math.max(1, parseInt(data('size'), 10) || 5));
  var newTab = /^(new|_blank|tab)$/i.test(data('open') || '');
  var selector = data('target');

  var css =
    // The host element takes the page's styles; the form inside starts
    // from nothing, so that no inherited font or colour reaches in.
    ':host{all:initial;display:block}' +
    'form{all:initial;display:block;position:relative;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d1f23}' +
    '*{box-sizing:border-box}' +
    '.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}' +
    'input{width:100%;font:inherit;padding:.55rem .8rem;border:1px solid #c5c9d2;border-radius:.5rem;background:#fff;color:inherit;outline:none}' +
    'input:focus{border-color:#1b6ef3;box-shadow:0 0 0 3px rgba(27,110,243,.25)}' +
    '.panel{position:absolute;left:0;right:0;top:calc(100% + 4px);z-index:2147483000;background:#fff;border:1px solid #d9dce3;border-radius:.5rem;box-shadow:0 8px 24px rgba(0,0,0,.16);max-height:70vh;overflow:auto;padding:.25rem 0}' +
    '.panel[hidden]{display:none}' +
    '.h{margin:.35rem .8rem .1rem;font-size:.72rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:#5c6270}' +
    '[role=option]{padding:.4rem .8rem;cursor:pointer}' +
    '[role=option][aria-selected=true],[role=option]:hover{background:#eef2fb}' +
    '[role=option][aria-selected=true]{box-shadow:inset 3px 0 0 #1b6ef3}' +
    '.t{font-weight:600;color:#1b4aa0}.m{font-size:.78rem;color:#5c6270}' +
    '.s{font-size:.85rem;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden}' +
    'mark{background:#ffe98a;color:inherit;font-weight:600;border-radius:2px}' +
    '.st{margin:.35rem .8rem;font-size:.85rem;color:#5c6270}.st:empty{display:none}';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // Server-made HTML (escaped text and <mark>) copied keeping only those.
  function marked(to, html) {
    var t = document.createElement('template');
    t.innerHTML = html || '';
    (function copy(from, into) {
      from.childNodes.forEach(function (n) {
        if (n.nodeType === 3) into.appendChild(document.createTextNode(n.nodeValue));
        else if (n.nodeType === 1) copy(n, n.nodeName === 'MARK' ? into.appendChild(el('mark')) : into);
      });
    })(t.content, to);
    return to;
  }

  function mount(target) {
    var host = target.appendChild(el('div'));
    host.setAttribute('data-vnsearch', '');
    var root = host.attachShadow({ mode: 'open' });
    if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el('style', '', css));
    }
    var form = root.appendChild(el('form'));
    form.setAttribute('role', 'search');
    form.setAttribute('action', base + '/');
    var label = form.appendChild(el('label', 'vh', 'Tìm kiếm tin tức'));
    label.htmlFor = 'i';
    var input = form.appendChild(el('input'));
    input.id = 'i';
    input.type = 'search';
    input.name = 'q';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.placeholder = data('placeholder') || 'Tìm kiếm tin tức…';
    input.setAttribute('enterkeyhint', 'search');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', 'l');
    var panel = form.appendChild(el('div', 'panel'));
    panel.hidden = true;
    var list = panel.appendChild(el('div'));
    list.id = 'l';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Gợi ý và kết quả');
    var status = panel.appendChild(el('p', 'st'));
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');

    var options = [], active = -1, timer = 0, ctl = null, composing = false, asked = null;

    function open(on) {
      panel.hidden = !on;
      input.setAttribute('aria-expanded', on ? 'true' : 'false');
      if (!on) setActive(-1);
    }
    function setActive(i) {
      if (active >= 0 && options[active]) options[active].e.setAttribute('aria-selected', 'false');
      active = options.length ? i : -1;
      if (active < 0) { input.removeAttribute('aria-activedescendant'); return; }
      var o = options[active].e;
      o.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', o.id);
      o.scrollIntoView({ block: 'nearest' });
    }
    function go(url) {
      if (newTab) window.open(url, '_blank', 'noopener');
      else location.assign(url);
    }
    function pageURL(q) { return base + '/?' + new URLSearchParams({ q: q }); }
    function add(group, node, act) {
      var o = group.appendChild(node);
      o.id = 'o' + options.length;
      o.setAttribute('role', 'option');
      o.setAttribute('aria-selected', 'false');
      o.addEventListener('mousedown', function (e) { e.preventDefault(); });
      o.addEventListener('click', act);
      options.push({ e: o, act: act });
    }
    function group(name) {
      var g = list.appendChild(el('div'));
      g.setAttribute('role', 'group');
      g.setAttribute('aria-label', name);
      g.appendChild(el('div', 'h', name)).setAttribute('aria-hidden', 'true');
      return g;
    }
    function render(q, sug, res) {
      list.replaceChildren();
      options = [];
      active = -1;
      var s = (sug && sug.suggestions) || [];
      if (s.length) {
        var gs = group('Gợi ý');
        s.forEach(function (x) {
          add(gs, marked(el('div'), x.html || x.text), function () { input.value = x.text; ask(x.text, true); input.focus(); });
        });
      }
      var hits = (res && res.hits) || [];
      if (hits.length) {
        var gr = group('Kết quả');
        hits.forEach(function (h) {
          var o = el('div');
          marked(o.appendChild(el('div', 't')), h.title_html || h.title);
          var meta = [];
          if (h.date) meta.push(new Date(h.date).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }));
          if (h.section) meta.push(h.section);
          if (meta.length) o.appendChild(el('div', 'm', meta.join(' · ')));
          marked(o.appendChild(el('div', 's')), h.snippet);
          add(gr, o, function () { go(h.url || pageURL(h.title)); });
        });
        if (res.total > hits.length) {
          add(gr, el('div', 't', 'Xem tất cả ' + res.total.toLocaleString('vi-VN') + ' kết quả'), function () { go(pageURL(q)); });
        }
      }
      var ex = (res && res.explain) || {};
      var note = ex.decoded ? 'Đã đọc kiểu gõ Telex: ' + ex.decoded : ex.restored ? 'Đã thêm dấu: ' + ex.restored : '';
      if (res && !res.total) {
        status.textContent = 'Không tìm thấy kết quả cho “' + q + '”.';
        if (ex.did_you_mean) {
          var gd = group('Có phải bạn muốn tìm');
          add(gd, el('div', 't', ex.did_you_mean), function () { input.value = ex.did_you_mean; ask(ex.did_you_mean, true); });
        }
      } else {
        status.textContent = res ? (note ? note + '. ' : '') + res.total.toLocaleString('vi-VN') + ' kết quả' : '';
      }
      open(options.length > 0 || status.textContent !== '');
    }
    function get(path, params, signal) {
      return fetch(base + path + '?' + new URLSearchParams(params), { signal: signal, credentials: 'omit' })
        .then(function (r) { return r.ok ? r.json() : null; });
    }
    // ask fetches suggestions and results for q, cancelling the requests of
    // any earlier q still in flight so that a stale answer never shows.
    function ask(q, force) {
      q = q.trim();
      if (q === asked && !force) return;
      asked = q;
      if (ctl) ctl.abort();
      ctl = null;
      if (q.length < 2) { list.replaceChildren(); options = []; status.textContent = ''; open(false); return; }
      var c = ctl = new AbortController();
      Promise.all([
        get('/api/suggest', { q: q, size: '5' }, c.signal).catch(function (e) { if (e.name === 'AbortError') throw e; return null; }),
        get('/api/search', { q: q, size: String(size), typing: '1' }, c.signal)
      ]).then(function (r) {
        if (c === ctl) render(q, r[0], r[1]);
      }).catch(function (e) {
        if (e.name === 'AbortError' || c !== ctl) return;
        list.replaceChildren();
        options = [];
        status.textContent = 'Không kết nối được máy chủ tìm kiếm.';
        open(true);
      });
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(function () { ask(input.value); }, 200);
    }

    // Telex and VNI input methods compose a syllable over several keys;
    // nothing is asked until the syllable is committed.
    input.addEventListener('compositionstart', function () { composing = true; clearTimeout(timer); });
    input.addEventListener('compositionend', function () { composing = false; schedule(); });
    input.addEventListener('input', function (e) { if (!composing && !e.isComposing) schedule(); });
    input.addEventListener('focus', function () { if (options.length) open(true); });
    input.addEventListener('keydown', function (e) {
      if (e.isComposing || composing) return;
      var n = options.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (panel.hidden) { if (n) open(true); else ask(input.value, true); return; }
        if (n) setActive(e.key === 'ArrowDown' ? (active + 1) % n : (active <= 0 ? n : active) - 1);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (active >= 0 && !panel.hidden) options[active].act();
        else if (input.value.trim()) go(pageURL(input.value.trim()));
      } else if (e.key === 'Escape') {
        e.preventDefault();
        if (!panel.hidden) open(false);
        else { input.value = ''; ask(''); }
      }
    });
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    document.addEventListener('pointerdown', function (e) {
      if (e.composedPath().indexOf(host) < 0) open(false);
    });
    input.addEventListener('blur', function () {
      setTimeout(function () { if (root.activeElement !== input) open(false); }, 150);
    });
  }

  function start() {
    var target = selector ? document.querySelector(selector) : null;
    if (target) return mount(target), true;
    if (!selector && script.parentNode) {
      var box = document.createElement('div');
      script.parentNode.insertBefore(box, script);
      return mount(box), true;
    }
    return false;
  }
  if (!start()) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () {
        if (!start()) console.warn('vnsearch: no element matches ' + selector);
      });
    } else {
      console.warn('vnsearch: no element matches ' + selector);
    }
  }
})();
