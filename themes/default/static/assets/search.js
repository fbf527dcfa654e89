/* odp search in the browser (issue 4): no server, no framework, no CDN.
 *
 * 1. The analyzer, a line-for-line copy of src/search/analyze.rs (a cargo test runs this file
 *    with node on every case of the Rust table and compares).
 * 2. The query plan of src/search/query.rs, with the alias table from search/meta.json.
 * 3. An engine that reads the static index written by src/search/browser.rs: term shards
 *    fetched for the words of the query only, facet numbers, result records 8 at a time.
 * 4. The search page: results as you type, facets with counts, state in the URL (shareable,
 *    back works, reload restores), an aria-live count. Without JavaScript the page keeps
 *    the full dataset list it was built with.
 */
(function (root) {
  'use strict';

  // ---- 1. analyzer (src/search/analyze.rs) ----
  var TONE = /[\u0300\u0301\u0303\u0309\u0323]/;
  var MARK = /\p{M}/u;
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]/u;
  var VOWELS = 'aăâeêioôơuưy';
  var MODIFIED = 'ăâêôơư';

  function lower(s) {
    return Array.from(s, function (c) { return c.toLowerCase(); }).join('');
  }

  // src/text.rs `fold`: marks removed, đ/Đ → d, lower case.
  function fold(s) {
    var out = '';
    Array.from(s.normalize('NFD')).forEach(function (c) {
      if (MARK.test(c)) return;
      out += (c === 'đ' || c === 'Đ') ? 'd' : c.toLowerCase();
    });
    return out;
  }

  function canonicalTone(syllable) {
    var tones = [];
    var base = Array.from(syllable.normalize('NFD')).filter(function (c) {
      if (TONE.test(c)) { tones.push(c); return false; }
      return true;
    }).join('').normalize('NFC');
    if (!tones.length) return base;
    var chars = Array.from(base);
    var vowels = [];
    chars.forEach(function (c, i) { if (VOWELS.indexOf(c) >= 0) vowels.push(i); });
    var at;
    if (!vowels.length) {
      at = Math.max(chars.length - 1, 0);
    } else {
      if (vowels.length > 1 && vowels[0] === 1 &&
          ((chars[0] === 'q' && chars[1] === 'u') || (chars[0] === 'g' && chars[1] === 'i'))) {
        vowels.shift();
      }
      var last = vowels[vowels.length - 1];
      var modified = vowels.filter(function (i) { return MODIFIED.indexOf(chars[i]) >= 0; });
      if (modified.length) at = modified[modified.length - 1];
      else if (vowels.length === 1 || last + 1 < chars.length) at = last;
      else if (vowels.length >= 3) at = vowels[vowels.length - 2];
      else {
        var pair = chars[vowels[0]] + chars[last];
        at = (pair === 'oa' || pair === 'oe' || pair === 'uy') ? last : vowels[0];
      }
    }
    var out = '';
    chars.forEach(function (c, i) { out += c; if (i === at) out += tones.join(''); });
    if (!chars.length) out += tones.join('');
    return out.normalize('NFC');
  }

  function tokens(text) {
    var s = lower(text.normalize('NFC')).normalize('NFC');
    var out = [];
    var word = '';
    var flush = function () {
      if (!word) return;
      var exact = canonicalTone(word);
      var folded = fold(exact);
      if (folded) out.push({ exact: exact, folded: folded });
      word = '';
    };
    Array.from(s).forEach(function (c) { if (WORD.test(c)) word += c; else flush(); });
    flush();
    return out;
  }

  // ---- 2. query plan (src/search/query.rs) ----
  var MAX_JOIN = 4;

  function alt(toks, alias) {
    var join = toks.length >= 2 && toks.length <= MAX_JOIN ? toks.map(function (t) { return t.folded; }).join('') : null;
    return { tokens: toks, join: join, alias: alias };
  }

  function plan(q, aliases) {
    var toks = tokens(q);
    var longest = 1;
    Object.keys(aliases).forEach(function (k) { longest = Math.max(longest, k.split(' ').length); });
    var concepts = [];
    var i = 0;
    while (i < toks.length) {
      var taken = 1;
      var alts = [alt([toks[i]], null)];
      for (var n = Math.min(longest, toks.length - i); n >= 1; n--) {
        var key = toks.slice(i, i + n).map(function (t) { return t.folded; }).join(' ');
        if (Object.prototype.hasOwnProperty.call(aliases, key)) {
          taken = n;
          alts = [alt(toks.slice(i, i + n), null)];
          aliases[key].forEach(function (to) { alts.push(alt(tokens(to), to)); });
          break;
        }
      }
      concepts.push({
        typed: toks.slice(i, i + taken).map(function (t) { return t.folded; }).join(' '),
        alts: alts
      });
      i += taken;
    }
    var adjacent = [];
    for (var j = 0; j + 1 < toks.length; j++) adjacent.push(toks[j].folded + toks[j + 1].folded);
    return { concepts: concepts, adjacent: adjacent };
  }

  // ---- 3. engine (reads what src/search/browser.rs writes) ----
  var EXACT_BOOST = 1.5, ALIAS_BOOST = 0.8, PREFIX_BOOST = 0.5, MAX_PREFIX_TERMS = 40;
  var FACETS = ['publisher', 'theme', 'format', 'keyword', 'licence'];

  function Engine(base, fetchFn) {
    this.base = base;
    this.fetchFn = fetchFn || function (u) { return root.fetch(u); };
    this.cache = {};
  }

  Engine.prototype.get = function (path, kind) {
    var self = this;
    if (!this.cache[path]) {
      this.cache[path] = this.fetchFn(this.base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
        return kind === 'bin' ? r.arrayBuffer() : r.json();
      }).catch(function (e) { delete self.cache[path]; throw e; });
    }
    return this.cache[path];
  };

  Engine.prototype.load = function () {
    var self = this;
    return this.get('meta.json').then(function (meta) {
      if (meta.version !== 1) throw new Error('search index version ' + meta.version);
      self.meta = meta;
      return self;
    });
  };

  // The shard whose range holds `term`: the last whose first term is <= it.
  Engine.prototype.shardOf = function (term) {
    var starts = this.meta.terms, lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  Engine.prototype.shard = function (n) {
    return this.get('t/' + n + '.json').then(function (entries) {
      if (!entries.byTerm) {
        var m = new Map();
        entries.forEach(function (e) { m.set(e[0], e); });
        entries.byTerm = m;
      }
      return entries;
    });
  };

  Engine.prototype.term = function (term) {
    if (!this.meta.terms.length) return Promise.resolve(null);
    return this.shard(this.shardOf(term)).then(function (entries) {
      return entries.byTerm.get(term) || null;
    });
  };

  // Terms starting with `prefix` (not `prefix` itself), when they lie in at most two shards.
  Engine.prototype.prefixed = function (prefix) {
    if (!this.meta.terms.length) return Promise.resolve([]);
    var a = this.shardOf(prefix), b = this.shardOf(prefix + '\uffff');
    if (b - a > 1) return Promise.resolve([]);
    var wanted = [];
    for (var n = a; n <= b; n++) wanted.push(this.shard(n));
    return Promise.all(wanted).then(function (shards) {
      var out = [];
      shards.forEach(function (entries) {
        entries.forEach(function (e) {
          if (e[0] !== prefix && e[0].lastIndexOf(prefix, 0) === 0 && out.length < MAX_PREFIX_TERMS) out.push(e);
        });
      });
      return out;
    });
  };

  function decodeSet(list, total) {
    var out = [];
    if (typeof list === 'string') {
      var bin = root.atob ? root.atob(list) : Buffer.from(list, 'base64').toString('binary');
      for (var i = 0; i < bin.length; i++) {
        var b = bin.charCodeAt(i);
        for (var k = 0; k < 8; k++) if (b & (1 << k)) { var n = i * 8 + k; if (n < total) out.push(n); }
      }
      return out;
    }
    var cur = 0;
    list.forEach(function (gap, j) { cur = j === 0 ? gap : cur + gap; out.push(cur); });
    return out;
  }

  // doc → best score of one term entry for token `t` (or any variant when t is null).
  Engine.prototype.scores = function (entry, t, factor, into) {
    var meta = this.meta, total = meta.count;
    var idf = Math.log(1 + total / entry[1]);
    entry[2].forEach(function (variant) {
      var exact = t && t.exact !== t.folded && variant[0] === t.exact;
      variant[1].forEach(function (list) {
        var w = meta.weights[list[0]] * idf * factor * (exact ? EXACT_BOOST : 1);
        decodeSet(list[1], total).forEach(function (d) {
          if (!(into.get(d) >= w)) into.set(d, w);
        });
      });
    });
    return into;
  };

  function intersect(maps) {
    if (!maps.length) return new Map();
    var out = new Map();
    maps[0].forEach(function (s, d) {
      var sum = s;
      for (var i = 1; i < maps.length; i++) {
        var x = maps[i].get(d);
        if (x === undefined) return;
        sum += x;
      }
      out.set(d, sum);
    });
    return out;
  }

  // Scores of every matching dataset: Map doc → score. `typing`: the last word may be unfinished.
  Engine.prototype.match = function (q, typing) {
    var self = this;
    var p = plan(q, this.meta.aliases);
    if (!p.concepts.length) return Promise.resolve(null);
    var lastConcept = p.concepts[p.concepts.length - 1];
    var jobs = p.concepts.map(function (c) {
      return Promise.all(c.alts.map(function (a) {
        var factor = a.alias ? ALIAS_BOOST : 1;
        var toks = Promise.all(a.tokens.map(function (t) {
          var prefix = typing && c === lastConcept && a === c.alts[0] && a.tokens.length === 1 && t.folded.length >= 2;
          return Promise.all([self.term(t.folded), prefix ? self.prefixed(t.folded) : []]).then(function (r) {
            var m = new Map();
            if (r[0]) self.scores(r[0], t, factor, m);
            r[1].forEach(function (e) { self.scores(e, null, factor * PREFIX_BOOST, m); });
            return m;
          });
        }));
        var join = a.join ? self.term(a.join) : Promise.resolve(null);
        return Promise.all([toks, join]).then(function (r) {
          var m = intersect(r[0]);
          if (r[1]) {
            var bonus = self.scores(r[1], null, factor, new Map());
            m.forEach(function (s, d) { if (bonus.has(d)) m.set(d, s + bonus.get(d)); });
          }
          return m;
        });
      })).then(function (alts) {
        var m = new Map();
        alts.forEach(function (am) { am.forEach(function (s, d) { if (!(m.get(d) >= s)) m.set(d, s); }); });
        return m;
      });
    });
    var adj = Promise.all(p.adjacent.map(function (j) { return self.term(j); }));
    return Promise.all([Promise.all(jobs), adj]).then(function (r) {
      var m = intersect(r[0]);
      r[1].forEach(function (e) {
        if (!e) return;
        var bonus = self.scores(e, null, 1, new Map());
        m.forEach(function (s, d) { if (bonus.has(d)) m.set(d, s + bonus.get(d)); });
      });
      return m;
    });
  };

  // Facet numbers of every dataset, from facets.bin.
  Engine.prototype.facets = function () {
    var self = this;
    if (this.facetData) return Promise.resolve(this.facetData);
    return this.get('facets.bin', 'bin').then(function (buf) {
      var b = new Uint8Array(buf), L = self.meta.layout, n = self.meta.count, pos = 0;
      var data = { publisher: [], licence: [], theme: [], format: [], keyword: [] };
      var mask = function (bytes) {
        var out = [];
        for (var i = 0; i < bytes; i++) for (var k = 0; k < 8; k++) if (b[pos + i] & (1 << k)) out.push(i * 8 + k);
        pos += bytes;
        return out;
      };
      for (var d = 0; d < n; d++) {
        data.publisher.push(L.publisher === 2 ? b[pos] | (b[pos + 1] << 8) : b[pos]);
        pos += L.publisher;
        data.licence.push(b[pos++]);
        data.theme.push(mask(L.theme));
        data.format.push(mask(L.format));
        var k = b[pos++];
        data.keyword.push(Array.from(b.subarray(pos, pos + k)));
        pos += k;
      }
      self.facetData = data;
      return data;
    });
  };

  // The id of a facet value at index i (formats are their own id).
  Engine.prototype.valueId = function (facet, i) {
    var v = this.meta.facets[facet][i];
    return Array.isArray(v) ? v[0] : v;
  };

  function has(data, facet, d, i) {
    var v = data[facet][d];
    return Array.isArray(v) ? v.indexOf(i) >= 0 : v === i;
  }

  // Runs a search: {results: [[doc, score]…] best first, counts: {facet: [[index, count]…]}}.
  Engine.prototype.search = function (state, typing) {
    var self = this;
    return Promise.all([this.match(state.q || '', typing), this.facets()]).then(function (r) {
      var scores = r[0], data = r[1], n = self.meta.count;
      var wanted = {};
      FACETS.forEach(function (f) {
        wanted[f] = (state[f] || []).map(function (id) {
          var list = self.meta.facets[f];
          for (var i = 0; i < list.length; i++) if (self.valueId(f, i) === id) return i;
          return -1;
        });
      });
      var passes = function (d, except) {
        return FACETS.every(function (f) {
          return f === except || !wanted[f].length || wanted[f].some(function (i) { return has(data, f, d, i); });
        });
      };
      var candidates = [];
      if (scores) scores.forEach(function (s, d) { candidates.push([d, s]); });
      else for (var d = 0; d < n; d++) candidates.push([d, 0]);
      var results = candidates.filter(function (c) { return passes(c[0], null); });
      results.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      var counts = {};
      FACETS.forEach(function (f) {
        var c = new Map();
        candidates.forEach(function (cand) {
          if (!passes(cand[0], f)) return;
          var v = data[f][cand[0]];
          (Array.isArray(v) ? v : [v]).forEach(function (i) { c.set(i, (c.get(i) || 0) + 1); });
        });
        counts[f] = Array.from(c.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      });
      return { results: results, counts: counts };
    });
  };

  // Result records for the docs in `list` (language `lang`), fetched by file of 8.
  Engine.prototype.records = function (lang, list) {
    var self = this, size = this.meta.docShard;
    return Promise.all(list.map(function (d) {
      return self.get('d/' + lang + '/' + Math.floor(d / size) + '.json').then(function (recs) { return recs[d % size]; });
    }));
  };

  var api = { fold: fold, tokens: tokens, canonicalTone: canonicalTone, plan: plan, Engine: Engine };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---- 4. the search page ----
  if (typeof document === 'undefined') return;
  var config = document.getElementById('search-config');
  var app = document.getElementById('search-app');
  if (!config || !app) return;
  var cfg = JSON.parse(config.textContent);
  var t = cfg.t;
  var PAGE = 10;
  var input = document.getElementById('search-q');
  var form = input.form;
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var facetsBox = document.getElementById('search-facets');
  var more = document.getElementById('search-more');
  var fallback = document.getElementById('results');
  var engine = new Engine(cfg.index);
  var shown = PAGE, current = null, run = 0, timer = null;

  function readState() {
    var u = new URLSearchParams(root.location.search);
    var s = { q: u.get('q') || '' };
    FACETS.forEach(function (f) { s[f] = u.getAll(f); });
    return s;
  }

  function stateUrl(s) {
    var u = new URLSearchParams();
    if (s.q) u.set('q', s.q);
    FACETS.forEach(function (f) { s[f].forEach(function (v) { u.append(f, v); }); });
    var qs = u.toString();
    return root.location.pathname + (qs ? '?' + qs : '');
  }

  function fmt(n) { return n.toLocaleString(cfg.lang === 'vi' ? 'vi-VN' : 'en-GB'); }
  function label(facet, i) {
    var v = engine.meta.facets[facet][i];
    if (!Array.isArray(v)) return v;
    if (facet === 'keyword') return v[1];
    return cfg.lang === 'en' ? v[2] : v[1];
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderFacets(counts) {
    facetsBox.textContent = '';
    FACETS.forEach(function (f) {
      var entries = counts[f];
      var chosen = current[f];
      if (!entries.length && !chosen.length) return;
      var fs = el('fieldset', { 'class': 'facet' });
      fs.appendChild(el('legend', {}, t['facet_' + f]));
      var ul = el('ul', {});
      entries.slice(0, 12).forEach(function (e) {
        var id = engine.valueId(f, e[0]);
        var li = el('li', {});
        var box = el('input', { type: 'checkbox', id: 'f-' + f + '-' + e[0], 'data-facet': f, value: id });
        box.checked = chosen.indexOf(id) >= 0;
        var lab = el('label', { 'for': box.id });
        lab.appendChild(document.createTextNode(label(f, e[0]) + ' '));
        lab.appendChild(el('span', { 'class': 'count' }, '(' + fmt(e[1]) + ')'));
        li.appendChild(box);
        li.appendChild(lab);
        ul.appendChild(li);
      });
      fs.appendChild(ul);
      facetsBox.appendChild(fs);
    });
  }

  function renderResults(found, gen) {
    var page = found.slice(0, shown);
    return engine.records(cfg.lang, page.map(function (r) { return r[0]; })).then(function (recs) {
      if (gen !== run) return;
      list.textContent = '';
      recs.forEach(function (r) {
        var li = el('li', { 'class': 'dataset-item' });
        var h = el('h3', { 'class': 'dataset-title' });
        var a = el('a', { href: cfg.datasets + r[0] + '/' }, r[1]);
        if (r[2]) a.setAttribute('lang', r[2]);
        h.appendChild(a);
        li.appendChild(h);
        var dl = el('dl', { 'class': 'meta-inline' });
        var add = function (term, value) {
          if (!value) return;
          var div = el('div', {});
          div.appendChild(el('dt', {}, term));
          var dd = el('dd', {});
          if (typeof value === 'string') dd.textContent = value; else dd.appendChild(value);
          div.appendChild(dd);
          dl.appendChild(div);
        };
        add(t.list_publisher, label('publisher', r[3]));
        add(t.list_themes, r[4].map(function (i) { return label('theme', i); }).join(', '));
        add(t.list_formats, r[5].map(function (i) { return label('format', i); }).join(' '));
        if (r[6]) add(t.list_updated, el('time', { datetime: r[6] }, r[7]));
        li.appendChild(dl);
        list.appendChild(li);
      });
      more.hidden = found.length <= shown;
    });
  }

  function update(typing) {
    var gen = ++run;
    return engine.search(current, typing).then(function (out) {
      if (gen !== run) return;
      return renderResults(out.results, gen).then(function () {
        if (gen !== run) return;
        renderFacets(out.counts);
        // announced once the results are on screen
        var n = out.results.length;
        status.textContent = n === 0 ? t.search_none : (n === 1 ? t.search_count_one : t.search_count).replace('{n}', fmt(n));
      });
    }).catch(function (e) {
      if (gen !== run) return;
      status.textContent = t.search_failed;
      if (root.console) root.console.error(e);
    });
  }

  function commit(push, typing) {
    var url = stateUrl(current);
    if (url !== root.location.pathname + root.location.search) {
      root.history[push ? 'pushState' : 'replaceState'](null, '', url);
    }
    shown = PAGE;
    return update(typing);
  }

  input.addEventListener('input', function () {
    current.q = input.value;
    clearTimeout(timer);
    // one history entry per pause in typing, not per key
    timer = setTimeout(function () { commit(false, true); }, 120);
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    clearTimeout(timer);
    current.q = input.value;
    commit(true, false);
  });
  facetsBox.addEventListener('change', function (ev) {
    var box = ev.target;
    var f = box.getAttribute('data-facet');
    if (!f) return;
    var vals = current[f].filter(function (v) { return v !== box.value; });
    if (box.checked) vals.push(box.value);
    current[f] = vals;
    var id = box.id;
    commit(true, false).then(function () {
      var again = document.getElementById(id);
      if (again) again.focus();
    });
  });
  more.addEventListener('click', function () {
    shown += PAGE;
    update(false);
  });
  root.addEventListener('popstate', function () {
    current = readState();
    input.value = current.q;
    shown = PAGE;
    update(false);
  });

  // filters folded away on phones, so results come first
  var filters = document.getElementById('search-filters');
  if (filters && root.matchMedia && !root.matchMedia('(min-width: 50rem)').matches) filters.open = false;

  engine.load().then(function () {
    current = readState();
    input.value = current.q;
    fallback.hidden = true;
    app.hidden = false;
    return update(false);
  }).catch(function (e) {
    // the full list stays; say search is unavailable
    status.textContent = t.search_failed;
    if (root.console) root.console.error(e);
  });
})(typeof window !== 'undefined' ? window : globalThis);
