// The search page's enhancements. The page works without this script: the
// form submits, the links navigate. With it, the field suggests as you type
// and filters, sorting and page links update the results in place.
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var list = document.getElementById('q-suggestions');
  var status = document.getElementById('status');
  if (!form || !input || !list || !window.fetch || !window.AbortController) return;
  document.documentElement.classList.add('js');

  // highlighted copies server-made HTML (escaped text with <mark>) into
  // el, keeping only text and <mark>: whatever else it held is dropped.
  function highlighted(el, html) {
    var t = document.createElement('template');
    t.innerHTML = html;
    (function copy(from, to) {
      from.childNodes.forEach(function (n) {
        if (n.nodeType === 3) {
          to.appendChild(document.createTextNode(n.nodeValue));
        } else if (n.nodeType === 1) {
          var into = to;
          if (n.nodeName === 'MARK') into = to.appendChild(document.createElement('mark'));
          copy(n, into);
        }
      });
    })(t.content, el);
  }

  // Suggestions: a combobox over the search field.
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');
  var items = [], active = -1, timer = 0, pending = null, composing = false, lastAsked = '';

  function close() {
    list.hidden = true;
    list.replaceChildren();
    items = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function setActive(i) {
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach(function (it, j) { it.el.setAttribute('aria-selected', j === active ? 'true' : 'false'); });
    input.setAttribute('aria-activedescendant', items[active].el.id);
    items[active].el.scrollIntoView({ block: 'nearest' });
  }

  function show(suggestions) {
    close();
    suggestions.forEach(function (s, i) {
      var li = document.createElement('li');
      li.id = 'q-suggestion-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      highlighted(li, s.html || '');
      if (!li.textContent) li.textContent = s.text;
      if (s.kind === 'title') {
        var k = li.appendChild(document.createElement('span'));
        k.className = 'kind';
        k.textContent = '· bài viết';
      }
      li.addEventListener('mousedown', function (e) { e.preventDefault(); });
      li.addEventListener('click', function () { pick(s); });
      list.appendChild(li);
      items.push({ el: li, s: s });
    });
    if (items.length) {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }
  }

  function pick(s) {
    input.value = s.text;
    close();
    navigate(urlOf(form), true);
  }

  function suggest() {
    var q = input.value.trim();
    if (q === lastAsked) return;
    lastAsked = q;
    if (pending) pending.abort();
    if (q.length < 2) { close(); return; }
    var ctl = pending = new AbortController();
    fetch('/api/suggest?' + new URLSearchParams({ q: q, size: '8' }), { signal: ctl.signal })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) {
        if (ctl !== pending || document.activeElement !== input) return;
        show(data.suggestions || []);
      })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  // An input method (Telex, VNI) composes a syllable over several keys:
  // ask only once it is committed, not for each half-typed letter.
  input.addEventListener('compositionstart', function () { composing = true; clearTimeout(timer); });
  input.addEventListener('compositionend', function () { composing = false; schedule(); });
  input.addEventListener('input', function (e) { if (!composing && !e.isComposing) schedule(); });
  function schedule() { clearTimeout(timer); timer = setTimeout(suggest, 150); }

  input.addEventListener('keydown', function (e) {
    if (e.isComposing) return;
    switch (e.key) {
      case 'ArrowDown':
        if (list.hidden) { lastAsked = ''; suggest(); } else setActive(active + 1);
        e.preventDefault();
        break;
      case 'ArrowUp':
        if (!list.hidden) { setActive(active - 1); e.preventDefault(); }
        break;
      case 'Enter':
        if (active >= 0) { e.preventDefault(); pick(items[active].s); }
        break;
      case 'Escape':
        if (!list.hidden) { e.preventDefault(); close(); }
        break;
    }
  });
  input.addEventListener('blur', function () { setTimeout(close, 100); });

  // Results in place: fetch the server-rendered page and swap its results.
  var loading = null;
  function urlOf(f) {
    var p = new URLSearchParams();
    new FormData(f).forEach(function (v, k) { if (String(v).trim() !== '') p.append(k, v); });
    var qs = p.toString();
    return '/' + (qs ? '?' + qs : '');
  }

  function navigate(url, push, focusResults) {
    if (loading) loading.abort();
    var ctl = loading = new AbortController();
    var main = document.getElementById('results');
    main.setAttribute('aria-busy', 'true');
    fetch(url, { signal: ctl.signal, headers: { Accept: 'text/html' } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (ctl !== loading) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('results');
        if (!fresh) throw new Error('no results in page');
        // A filter changed with the keyboard keeps the focus once the
        // results around it are replaced.
        var focused = main.contains(document.activeElement) ? document.activeElement.id : '';
        main.replaceWith(document.adoptNode(fresh));
        var again = focused && document.getElementById(focused);
        if (again) again.focus();
        document.title = doc.title;
        var st = doc.getElementById('status');
        status.textContent = st ? st.textContent : '';
        var q = new URL(url, location.href).searchParams.get('q');
        if (q !== null && document.activeElement !== input) input.value = q;
        if (push) history.pushState(null, '', url);
        if (focusResults) fresh.focus({ preventScroll: true });
        if (focusResults) window.scrollTo(0, 0);
      })
      .catch(function (err) {
        if (err.name !== 'AbortError') location.assign(url);
      });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    close();
    navigate(urlOf(form), true);
  });
  document.addEventListener('change', function (e) {
    if (e.target.form === form && e.target.tagName === 'SELECT') navigate(urlOf(form), true);
  });
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-instant]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    var u = new URL(a.href);
    var q = u.searchParams.get('q');
    if (q !== null) input.value = q;
    navigate(u.pathname + u.search, true, a.closest('.pages') !== null);
  });
  window.addEventListener('popstate', function () {
    var q = new URLSearchParams(location.search).get('q');
    input.value = q || '';
    navigate(location.pathname + location.search, false);
  });
})();
