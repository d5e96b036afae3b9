// The report page's one inline script. It renders the overview from the data embedded once in
// the page, and a cluster's detail only when it is opened, so a page of 20,000 articles holds a
// few thousand DOM nodes, not half a million. Every text goes in as a text node (textContent,
// createTextNode); no data ever reaches innerHTML. Links open only http(s) URLs.
// Plain ES2017 in a raw string: no backticks and no "${" inside.

export const CLIENT_SCRIPT = String.raw`(function () {
'use strict';
var D = JSON.parse(document.getElementById('wt-data').textContent);
var ST = D.legend.status, CELL = D.legend.cell, REL = D.legend.relations, OUT = D.outlets;
var ORDER = Object.keys(ST).map(function (k) { return ST[k].label; });
var CODE = {};
Object.keys(ST).forEach(function (k) { CODE[ST[k].label] = k; });

function el(tag, attrs, kids) {
  var e = document.createElement(tag);
  if (attrs) for (var k in attrs) {
    var v = attrs[k];
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  if (kids) for (var i = 0; i < kids.length; i++) {
    var c = kids[i];
    if (c === null || c === undefined || c === false || c === '') continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}
function pct(x) { return Math.round(x * 100) + '%'; }
function webAddress(u) { return typeof u === 'string' && /^https?:\/\/[^\s]+$/i.test(u) ? u : null; }
function linked(text, url, cls) {
  var u = webAddress(url);
  return u ? el('a', { href: u, rel: 'noopener noreferrer', target: '_blank', class: cls }, [text]) : el('span', { class: cls }, [text]);
}
function badge(code, letter, label, extra) {
  var a = { class: 'badge s-' + code, title: label, 'aria-label': label };
  if (extra) for (var k in extra) a[k] = extra[k];
  return el('span', a, [letter]);
}
function rel(r) { return el('span', { class: 'rel rel-' + r, title: REL[r] || r }, [r]); }
function pnums(ix) { return ix && ix.length ? ix.map(function (i) { return '\u00b6' + (i + 1); }).join('+') : ''; }
function day(n) { return typeof n === 'number' ? new Date(n * 864e5).toISOString().slice(0, 10) : ''; }
function count(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
function uniq(list) { var s = {}, out = []; list.forEach(function (x) { if (x && !s[x]) { s[x] = 1; out.push(x); } }); return out; }
function describeCounts(counts) {
  return ORDER.filter(function (k) { return counts[k] > 0; }).map(function (k) { return k + ' ' + counts[k]; }).join(' \u00b7 ');
}

// ---- overview ----------------------------------------------------------------------------
var clusters = D.clusters;
clusters.forEach(function (c) {
  c.size = c.m.length;
  c.m.forEach(function (m, i) {
    m.s = OUT[m.s || 0] || '';
    m.why = m.why.split('{m}').join('"' + m.id + '"').split('{r}').join('"' + c.ref + '"');
    if (m.sp) {
      var sp = [], end = 0;
      for (var k = 0; k < m.sp.length; k += 2) { var st = end + m.sp[k]; end = st + m.sp[k + 1]; sp.push([st, end]); }
      m.sp = sp;
    }
    // 0: the headline is the member's first paragraph (never one its row rebuilds).
    if (m.h === 0) m.h = i === 0 ? c.rp[0] : memberText(c, m, 0);
    if (!c.h && m.h) c.h = m.h;
  });
  c.outlets = uniq(c.m.map(function (m) { return m.s; }));
  c.langs = uniq(c.m.map(function (m) { return m.l; })).sort();
  var dates = c.m.map(function (m) { return day(m.d); }).filter(Boolean).sort();
  c.first = dates[0] || ''; c.last = dates[dates.length - 1] || '';
  var rels = {};
  c.m.forEach(function (m) { if (m.r !== 'reference') rels[m.r] = (rels[m.r] || 0) + 1; });
  c.rels = rels;
  c.hay = [c.id, c.h || ''].concat(c.m.map(function (m) { return m.id + ' ' + (m.h || '') + ' ' + (m.s || ''); })).join(' ').toLowerCase();
});
var state = { q: '', rel: '', min: 2, outlet: '', lang: '', sort: 'size', dir: -1, limit: 200 };
var open = {}, details = {};
var body = document.getElementById('ov-body'), shown = document.getElementById('ov-count'), more = document.getElementById('ov-more');

function fill(select, values) {
  values.forEach(function (v) { select.appendChild(el('option', { value: v }, [v])); });
}
function tally(get) {
  var n = {};
  clusters.forEach(function (c) { get(c).forEach(function (v) { n[v] = (n[v] || 0) + 1; }); });
  return Object.keys(n).sort(function (a, b) { return n[b] - n[a] || (a < b ? -1 : 1); });
}
fill(document.getElementById('f-rel'), tally(function (c) { return Object.keys(c.rels); }));
fill(document.getElementById('f-outlet'), tally(function (c) { return c.outlets; }).slice(0, 1000));
fill(document.getElementById('f-lang'), tally(function (c) { return c.langs; }));

function matches(c) {
  if (c.size < state.min) return false;
  if (state.rel && !c.rels[state.rel]) return false;
  if (state.outlet && c.outlets.indexOf(state.outlet) < 0) return false;
  if (state.lang && c.langs.indexOf(state.lang) < 0) return false;
  if (state.q) {
    var words = state.q.split(/\s+/);
    for (var i = 0; i < words.length; i++) if (words[i] && c.hay.indexOf(words[i]) < 0) return false;
  }
  return true;
}
var keys = {
  headline: function (c) { return (c.h || '\uffff' + c.id).toLowerCase(); },
  size: function (c) { return c.size; },
  outlets: function (c) { return c.outlets.length; },
  langs: function (c) { return c.langs.join(' '); },
  dates: function (c) { return c.first || '\uffff'; },
  relations: function (c) { return Object.keys(c.rels).sort().join(' '); }
};
function compare(a, b) {
  var ka = keys[state.sort](a), kb = keys[state.sort](b);
  var r = ka < kb ? -1 : ka > kb ? 1 : 0;
  return r * state.dir || a.i - b.i;
}
clusters.forEach(function (c, i) { c.i = i; });

function overviewRow(c) {
  var isOpen = !!open[c.id];
  var toggle = el('button', { type: 'button', class: 'open-btn', 'aria-expanded': isOpen ? 'true' : 'false', 'data-open': c.id }, [
    el('span', { class: 'caret', 'aria-hidden': 'true' }, [isOpen ? '\u25be' : '\u25b8']),
    el('span', { class: 'hl' + (c.h ? '' : ' none') }, [c.h || '(no headline)'])
  ]);
  toggle.addEventListener('click', function () { setOpen(c, !open[c.id]); });
  var relCell = el('td', { class: 'rels' });
  Object.keys(c.rels).sort().forEach(function (r) { relCell.appendChild(el('span', { class: 'rel rel-' + r, title: REL[r] }, [r + ' ' + c.rels[r]])); });
  var outlets = c.outlets.slice(0, 3).join(', ') + (c.outlets.length > 3 ? ' +' + (c.outlets.length - 3) : '');
  return el('tr', { 'data-row': c.id, class: isOpen ? 'is-open' : '' }, [
    el('td', { class: 'headline' }, [toggle, el('span', { class: 'cid' }, [c.id])]),
    el('td', { class: 'num' }, [c.size]),
    el('td', { class: 'outlets', title: c.outlets.join(', ') }, [outlets || '\u2014']),
    el('td', null, [c.langs.join(', ') || '?']),
    el('td', { class: 'dates' }, [c.first ? (c.first === c.last ? c.first : c.first + ' \u2013 ' + c.last) : '\u2014']),
    relCell
  ]);
}
function renderOverview() {
  var list = clusters.filter(matches).sort(compare);
  body.textContent = '';
  var n = Math.min(list.length, state.limit);
  for (var i = 0; i < n; i++) {
    var c = list[i];
    body.appendChild(overviewRow(c));
    if (open[c.id]) body.appendChild(detailRow(c));
  }
  if (list.length === 0) body.appendChild(el('tr', null, [el('td', { colspan: 6, class: 'muted' }, ['No cluster matches.'])]));
  shown.textContent = 'Showing ' + n + ' of ' + list.length + ' matching clusters (' + clusters.length + ' in all).';
  more.hidden = list.length <= state.limit;
}
function setOpen(c, yes) {
  if (yes) open[c.id] = true; else delete open[c.id];
  renderOverview();
  if (yes) { var r = body.querySelector('tr[data-row="' + CSS.escape(c.id) + '"]'); if (r && r.getBoundingClientRect().top < 0) r.scrollIntoView({ block: 'start' }); }
}
function detailRow(c) {
  if (!details[c.id]) details[c.id] = el('tr', { class: 'detail-row', 'data-detail': c.id }, [el('td', { colspan: 6 }, [renderCluster(c)])]);
  return details[c.id];
}

document.getElementById('f-q').addEventListener('input', function (e) { state.q = e.target.value.trim().toLowerCase(); state.limit = 200; renderOverview(); });
document.getElementById('f-rel').addEventListener('change', function (e) { state.rel = e.target.value; renderOverview(); });
document.getElementById('f-outlet').addEventListener('change', function (e) { state.outlet = e.target.value; renderOverview(); });
document.getElementById('f-lang').addEventListener('change', function (e) { state.lang = e.target.value; renderOverview(); });
document.getElementById('f-min').addEventListener('input', function (e) { var v = parseInt(e.target.value, 10); state.min = v >= 2 ? v : 2; renderOverview(); });
more.addEventListener('click', function () { state.limit += 500; renderOverview(); });
Array.prototype.forEach.call(document.querySelectorAll('[data-sort]'), function (b) {
  b.addEventListener('click', function () {
    var k = b.getAttribute('data-sort');
    if (state.sort === k) state.dir = -state.dir; else { state.sort = k; state.dir = k === 'headline' || k === 'langs' || k === 'dates' ? 1 : -1; }
    Array.prototype.forEach.call(document.querySelectorAll('[data-sort]'), function (o) {
      o.parentNode.setAttribute('aria-sort', o === b ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
    });
    renderOverview();
  });
});

// ---- a cluster's detail ------------------------------------------------------------------
function memberText(c, m, j) { var t = m.tx[j]; return typeof t === 'number' ? c.rp[t] || '' : t || ''; }
function rebuild(ops, rt) {
  var ch = [], a = 0;
  ops.forEach(function (o) {
    if (typeof o === 'string') ch.push(['+', o]);
    else if (o >= 0) { ch.push(['=', rt.slice(a, a + o)]); a += o; }
    else { ch.push(['-', rt.slice(a, a - o)]); a -= o; }
  });
  return ch;
}
function list1(x) { return x === null || x === undefined ? null : typeof x === 'number' ? [x] : x; }
// A row as the data stores it: [status letter, reference indices, copy indices, similarity, extras].
function rowOf(c, m, raw) {
  var x = raw[4] || {};
  var r = { st: ST[raw[0]].label, ri: list1(raw[1]), ci: list1(raw[2]), sim: raw[3] === null ? undefined : raw[3], sh: x.sh };
  r.rt = x.rt !== undefined ? x.rt : r.ri ? r.ri.map(function (i) { return c.rp[i] || ''; }).join('\n\n') : undefined;
  if (x.cx) r.ch = x.cx;
  else if (x.ch) {
    r.ch = rebuild(x.ch, r.rt);
    // The copy's text is the reference's with the changes: fill in the paragraphs it stands for.
    r.ct = r.ch.filter(function (y) { return y[0] !== '-'; }).map(function (y) { return y[1]; }).join('');
    var parts = r.ci.length > 1 ? r.ct.split('\n\n') : [r.ct];
    r.ci.forEach(function (j, k) { if (m.tx[j] === null) m.tx[j] = parts[k] || ''; });
  }
  if (r.ct === undefined) r.ct = x.ct !== undefined ? x.ct : r.ci ? r.ci.map(function (j) { return memberText(c, m, j); }).join('\n\n') : undefined;
  return r;
}
function rowsOf(c, i) {
  var d = c.d[i];
  if (!d.r) d.r = d.rows.map(function (raw) { return rowOf(c, c.m[i], raw); });
  return d.r;
}
function why(rule) {
  return rule === 'marked' ? 'is marked as the wire source' : rule === 'earliest' ? 'was published first' : 'covers the most of the other members\u2019 text';
}
function origin(o) {
  return o === 's' ? 'stored (earlier run)' : o === 'n' ? 'new (this run)' : '';
}
function articleCell(m) {
  var meta = [day(m.d), m.l ? 'language ' + m.l : '', origin(m.o)].filter(Boolean).join(' \u00b7 ');
  return el('th', m.o ? { scope: 'row', 'data-origin': m.o === 's' ? 'stored' : 'new' } : { scope: 'row' }, [
    el('span', { class: 'id' }, [m.id]),
    el('span', { class: 'outlet' }, [m.s || '(no source)']),
    m.h ? linked(m.h, m.u, 'mhl') : (webAddress(m.u) ? linked(m.u, m.u, 'mhl') : null),
    meta ? el('span', { class: 'muted small' }, [meta]) : null
  ]);
}
function strip(c, i) {
  var d = c.d[i];
  var s = el('div', { class: 'strip', 'data-strip': true, role: 'img', 'aria-label': 'Paragraph statuses: ' + (describeCounts(d.counts) || 'none') });
  rowsOf(c, i).forEach(function (r) {
    var where = [pnums(r.ri), pnums(r.ci)].filter(Boolean).join(' \u2192 ');
    s.appendChild(badge(r.st, CODE[r.st], r.st + (where ? ' ' + where : ''), { 'data-status': r.st }));
  });
  return s;
}
function summaryText(d, ref) {
  return [describeCounts(d.counts), 'carries ' + pct(d.carried) + ' of ' + ref, pct(d.own) + ' own text'].filter(Boolean).join(' \u00b7 ');
}
function membersTable(c) {
  var t = el('table', { class: 'members' }, [
    el('caption', { class: 'sr-only' }, ['Members of cluster ' + c.id + ', each with its relation to the reference ' + c.ref]),
    el('thead', null, [el('tr', null, ['Article', 'Relation', 'Jaccard', 'In reference', 'Reference in it', 'Carries', 'Own text'].map(function (h, i) {
      return el('th', { scope: 'col', class: i > 1 ? 'num' : null }, [h]);
    }))])
  ]);
  c.m.forEach(function (m, i) {
    var d = c.d && c.d[i];
    var isRef = m.r === 'reference';
    var cells = isRef ? ['\u2014', '\u2014', '\u2014', '100%', '\u2014'] : [pct(m.j), pct(m.ci), pct(m.ri), d ? pct(d.carried) : '\u2014', d ? pct(d.own) : '\u2014'];
    var main = el('tr', { class: 'member-main' }, [articleCell(m), el('td', null, [rel(m.r), isRef ? null : el('span', { class: 'conf', title: 'the model\u2019s probability of this verdict' }, [pct(m.c)])])]
      .concat(cells.map(function (x) { return el('td', { class: 'num' }, [x]); })));
    var detail = el('tr', { class: 'member-detail' }, [el('td', { colspan: 7 }, [
      el('p', { class: 'reason' }, [m.why]),
      d ? el('div', { class: 'strip-wrap' }, [strip(c, i), el('p', { class: 'counts' }, [describeCounts(d.counts)])]) : null
    ])]);
    t.appendChild(el('tbody', { 'data-member': m.id, 'data-relation': m.r }, [main, detail]));
  });
  return el('div', { class: 'card' }, [el('h3', null, ['Members']), el('div', { class: 'scroll' }, [t])]);
}
function matrix(c) {
  // Story paragraphs may be texts that the members' rows rebuild.
  for (var k = 0; k < c.m.length; k++) if (c.d[k]) rowsOf(c, k);
  var head = el('tr', null, [el('th', { scope: 'col', class: 'num' }, ['#']), el('th', { scope: 'col' }, ['Paragraph'])]);
  c.m.forEach(function (m) {
    head.appendChild(el('th', { scope: 'col', class: 'outlet-col', 'data-outlet': m.id, 'data-lang': m.l || '', title: m.s ? m.id + ' \u00b7 ' + m.s : m.id }, [
      el('span', { class: 'id' }, [m.id]), el('span', { class: 'small muted' }, [m.r === 'reference' ? 'ref' : m.r]),
      el('span', { class: 'lang' + (m.l ? '' : ' unknown') }, [m.l || '?'])
    ]));
  });
  var tb = el('tbody');
  c.story.forEach(function (p, i) {
    var origin = c.m[p[0]];
    var text = p[0] === 0 ? c.rp[p[1]] || '' : memberText(c, origin, p[1]);
    var tag = null;
    if (p[3]) tag = el('span', { class: 'tag' }, ['added by ' + origin.id]);
    else if (p[0] !== 0) tag = el('span', { class: 'tag' }, ['not in ' + c.ref]);
    var tr = el('tr', { 'data-story': i, 'data-origin': origin.id + ':' + p[1], 'data-kind': p[2], 'data-addition': p[3] ? true : null, 'data-shared': !p[3] && p[0] !== 0 ? true : null }, [
      el('th', { scope: 'row', class: 'num' }, [i + 1]),
      el('td', { class: 'ptext' }, [el('div', { class: 'clamp' }, [tag, tag ? ' ' : null, text])])
    ]);
    for (var j = 0; j < c.m.length; j++) {
      var code = p[4].charAt(j), st = CELL[code];
      var name = code === 'K' ? 'carried' : code === 'A' ? 'addition' : code === '.' ? 'absent' : code === 'R' ? 'reference' : code === 'C' ? 'cut' : st.label;
      tr.appendChild(el('td', { class: 'cell', 'data-outlet': c.m[j].id, 'data-cell': name }, [badge(name, st.letter, c.m[j].id + ': ' + st.label)]));
    }
    tb.appendChild(tr);
  });
  return el('div', { class: 'card' }, [
    el('h3', null, ['Wire story \u00d7 outlet']),
    el('p', { class: 'muted' }, ['Each row is a paragraph of the wire story: the reference\u2019s paragraphs in order, with an outlet\u2019s own additions after the paragraph they follow. Each column is an outlet, with its language.']),
    el('div', { class: 'scroll' }, [el('table', { class: 'matrix', 'data-matrix': c.id }, [
      el('caption', { class: 'sr-only' }, ['What each outlet of cluster ' + c.id + ' did with each paragraph of the wire story']),
      el('thead', null, [head]), tb
    ])])
  ]);
}

// Shared passages, as character spans of the original texts, placed on the cleaned paragraph
// texts: an offset inside a paragraph's original span maps in proportion onto its cleaned text
// (exact when the pipeline removed nothing inside it), widened to whole words.
function marksFor(text, span, ranges) {
  if (!span || !ranges.length || !text) return [];
  var len = span[1] - span[0];
  if (len <= 0) return [];
  var out = [];
  ranges.forEach(function (q) {
    var s = Math.max(q[0], span[0]), e = Math.min(q[1], span[1]);
    if (e <= s) return;
    var a = Math.floor((s - span[0]) * text.length / len), b = Math.ceil((e - span[0]) * text.length / len);
    while (a > 0 && /\S/.test(text.charAt(a - 1))) a--;
    while (b < text.length && /\S/.test(text.charAt(b))) b++;
    if (out.length && a <= out[out.length - 1][1]) out[out.length - 1][1] = Math.max(out[out.length - 1][1], b);
    else out.push([a, b]);
  });
  return out;
}
function highlighted(text, marks) {
  var frag = document.createDocumentFragment(), at = 0;
  marks.forEach(function (m) {
    if (m[0] > at) frag.appendChild(document.createTextNode(text.slice(at, m[0])));
    frag.appendChild(el('mark', { class: 'passage', title: 'shared passage' }, [text.slice(m[0], m[1])]));
    at = m[1];
  });
  if (at < text.length) frag.appendChild(document.createTextNode(text.slice(at)));
  return frag;
}
function sideText(text, ix, spans, ranges) {
  var frag = document.createDocumentFragment();
  var parts = ix && ix.length > 1 ? text.split('\n\n') : [text];
  var aligned = ix && spans && parts.length === ix.length;
  parts.forEach(function (part, k) {
    if (k > 0) frag.appendChild(document.createTextNode('\n\n'));
    frag.appendChild(highlighted(part, aligned ? marksFor(part, spans[ix[k]], ranges) : []));
  });
  return frag;
}
function inline(changes, keep) {
  var frag = document.createDocumentFragment();
  changes.forEach(function (x) {
    if (x[0] === '=') frag.appendChild(document.createTextNode(x[1]));
    else if (x[0] === keep) frag.appendChild(el(keep === '+' ? 'ins' : 'del', null, [x[1]]));
  });
  return frag;
}
function diffRow(c, r, ctx) {
  var t = r;
  var notes = [];
  if (r.sh) notes.push(r.sh);
  if (r.sim !== undefined && r.st !== 'kept') notes.push('similarity ' + pct(r.sim));
  function side(no, ix, body, empty, note) {
    if (body === null) return el('td', { class: 'text empty' }, [el('span', { class: 'muted' }, [empty])]);
    return el('td', { class: 'text' }, [el('span', { class: 'pn' }, [no]), body, note && notes.length ? el('span', { class: 'note' }, [notes.join(' \u00b7 ')]) : null]);
  }
  var refBody = t.rt === undefined ? null : r.ch ? inline(r.ch, '-') : sideText(t.rt, r.ri, ctx.refSpans, ctx.refRanges);
  var copyBody = t.ct === undefined ? null : r.ch ? inline(r.ch, '+') : sideText(t.ct, r.ci, ctx.copySpans, ctx.copyRanges);
  return el('tr', { class: 'row s-' + r.st, 'data-status': r.st, 'data-ref': r.ri ? r.ri.join(',') : null, 'data-copy': r.ci ? r.ci.join(',') : null }, [
    el('td', { class: 'st' }, [badge(r.st, CODE[r.st], r.st), el('span', { class: 'sr-only' }, [' ' + r.st])]),
    side(pnums(r.ri), r.ri, refBody, 'not in the reference', false),
    side(pnums(r.ci), r.ci, copyBody, 'cut', true)
  ]);
}
function cutRun(c, run) {
  var refs = [];
  var inner = el('details', null, [el('summary', null, [run.length + ' paragraphs cut (' + pnums(run[0].ri) + '\u2013' + pnums(run[run.length - 1].ri) + ')'])]);
  run.forEach(function (r) {
    refs = refs.concat(r.ri || []);
    inner.appendChild(el('p', { 'data-ref': (r.ri || []).join(',') }, [el('span', { class: 'pn' }, [pnums(r.ri)]), r.rt || '']));
  });
  return el('tr', { class: 'row s-cut run', 'data-status': 'cut', 'data-run': run.length, 'data-ref': refs.join(',') }, [
    el('td', { class: 'st' }, [badge('cut', 'C', 'cut'), el('span', { class: 'sr-only' }, [' cut'])]),
    el('td', { class: 'text' }, [inner]), el('td', { class: 'text empty' }, [el('span', { class: 'muted' }, ['cut'])])
  ]);
}
function sideBySide(c, i) {
  var d = c.d[i], m = c.m[i], ref = c.m[0];
  var ctx = {
    refSpans: ref.sp, copySpans: m.sp,
    refRanges: d.pass.map(function (p) { return [p[0], p[1]]; }),
    copyRanges: d.pass.map(function (p) { return [p[2], p[3]]; })
  };
  var tb = el('tbody'), rows = rowsOf(c, i);
  for (var k = 0; k < rows.length;) {
    var j = k;
    while (j < rows.length && rows[j].st === 'cut') j++;
    if (D.fold > 0 && j - k >= D.fold) { tb.appendChild(cutRun(c, rows.slice(k, j))); k = j; }
    else { tb.appendChild(diffRow(c, rows[k], ctx)); k++; }
  }
  var label = function (x) { return x.s ? x.id + ' \u00b7 ' + x.s : x.id; };
  return el('div', { class: 'scroll' }, [el('table', { class: 'sbs' }, [
    el('caption', { class: 'sr-only' }, ['Paragraphs of ' + ref.id + ' (reference) and ' + m.id + ' side by side']),
    el('colgroup', null, [el('col', { class: 'st-col' }), el('col', { class: 'text-col' }), el('col', { class: 'text-col' })]),
    el('thead', null, [el('tr', null, [el('th', { scope: 'col' }, [el('span', { class: 'sr-only' }, ['Status'])]), el('th', { scope: 'col' }, ['Reference \u00b7 ' + label(ref)]), el('th', { scope: 'col' }, ['Copy \u00b7 ' + label(m)])])]),
    tb
  ])]);
}
function diffCard(c, i, first) {
  var m = c.m[i], d = c.d[i];
  var det = el('details', { open: first ? true : null }, [el('summary', null, [
    el('h3', null, [m.id + ' against ' + c.ref]), rel(m.r), el('span', { class: 'muted' }, [summaryText(d, c.ref) + (d.pass.length ? ' \u00b7 ' + count(d.pass.length, 'shared passage') + ' marked' : '')])
  ])]);
  var filled = false;
  function fillIn() { if (!filled && det.open) { filled = true; det.appendChild(sideBySide(c, i)); } }
  det.addEventListener('toggle', fillIn);
  fillIn();
  return el('section', { class: 'card diff', 'data-diff': m.id, 'data-reference': c.ref }, [det]);
}
function boilerplateCard(c) {
  var ids = c.m.map(function (m) { return m.id; }).filter(function (id) { return c.bp[id]; });
  if (!ids.length) return null;
  var card = el('div', { class: 'card' }, [el('h3', null, ['Boilerplate removed from these articles']),
    el('p', { class: 'muted' }, ['Text the pipeline took out before comparing. It never counts as added or cut.'])]);
  ids.forEach(function (id) {
    var list = el('ul', { class: 'bp-list' });
    c.bp[id].forEach(function (b) {
      list.appendChild(el('li', { 'data-rule': b[0], 'data-scope': b[1] }, [el('p', { class: 'bp-head' }, [el('span', { class: 'tag' }, [b[0]]), ' ', el('span', { class: 'muted small' }, [b[1]])]), el('pre', { class: 'removed' }, [b[2]])]));
    });
    card.appendChild(el('article', { class: 'bp', 'data-boilerplate': id }, [el('h4', null, [id]), list]));
  });
  return card;
}
function linksCard(c) {
  if (!c.links.length) return null;
  var tb = el('tbody');
  c.links.forEach(function (l) {
    tb.appendChild(el('tr', { 'data-link': l[0] + ' ' + l[1] }, [el('th', { scope: 'row' }, [l[0] + ' \u00b7 ' + l[1]]), el('td', null, [rel(l[2])]), el('td', { class: 'num' }, [pct(l[3])]), el('td', { class: 'reason' }, [l[4]])]));
  });
  return el('div', { class: 'card' }, [el('h3', null, ['Other links between members']), el('table', { class: 'plain' }, [
    el('caption', { class: 'sr-only' }, ['Links between members that are not with the reference']),
    el('thead', null, [el('tr', null, [el('th', { scope: 'col' }, ['Pair']), el('th', { scope: 'col' }, ['Relation']), el('th', { scope: 'col', class: 'num' }, ['Jaccard']), el('th', { scope: 'col' }, ['Reason'])])]), tb
  ])]);
}
function renderCluster(c) {
  var ref = c.m[0];
  var out = el('div', { class: 'cluster-detail', 'data-cluster': c.id, 'data-reference': c.ref }, [
    el('p', { class: 'refline' }, ['Reference ', el('strong', null, [ref.s ? ref.id + ' \u00b7 ' + ref.s : ref.id]), ', chosen because it ' + why(c.rule) + '.']),
    membersTable(c)
  ]);
  if (c.d) {
    out.appendChild(matrix(c));
    var first = true;
    for (var i = 0; i < c.m.length; i++) if (c.d[i]) { out.appendChild(diffCard(c, i, first)); first = false; }
  } else out.appendChild(el('p', { class: 'muted' }, ['No paragraph diff was given for this cluster.']));
  var l = linksCard(c); if (l) out.appendChild(l);
  var b = boilerplateCard(c); if (b) out.appendChild(b);
  return out;
}

// ---- singletons and skipped: a count and a searchable list -------------------------------
function list(section, rows, columns, toRow) {
  var q = section.querySelector('input[type="search"]'), tb = section.querySelector('tbody'), info = section.querySelector('.list-count'), btn = section.querySelector('.more');
  var limit = 100, hay = null;
  function render() {
    var words = q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length && !hay) hay = rows.map(function (r) { return r.join(' ').toLowerCase(); });
    var hits = [];
    for (var i = 0; i < rows.length; i++) {
      var ok = true;
      for (var w = 0; w < words.length && ok; w++) ok = hay[i].indexOf(words[w]) >= 0;
      if (ok) hits.push(rows[i]);
    }
    tb.textContent = '';
    hits.slice(0, limit).forEach(function (r) { tb.appendChild(toRow(r)); });
    info.textContent = 'Showing ' + Math.min(limit, hits.length) + ' of ' + hits.length + (words.length ? ' matching' : '') + '.';
    btn.hidden = hits.length <= limit;
  }
  q.addEventListener('input', function () { limit = 100; render(); });
  btn.addEventListener('click', function () { limit += 500; render(); });
  render();
}
D.singles.forEach(function (r) { r[2] = OUT[r[2] || 0] || ''; });
list(document.getElementById('singletons'), D.singles, 5, function (r) {
  var o = origin(r[6]);
  return el('tr', r[6] ? { 'data-article': r[0], 'data-origin': r[6] === 's' ? 'stored' : 'new' } : { 'data-article': r[0] }, [el('th', { scope: 'row' }, o ? [r[0], ' ', el('span', { class: 'muted small' }, [o])] : [r[0]]), el('td', null, [r[1] ? linked(r[1], r[5]) : (webAddress(r[5]) ? linked(r[5], r[5]) : '\u2014')]), el('td', null, [r[2] || '(no source)']), el('td', null, [day(r[3]) || '\u2014']), el('td', null, [r[4] || '?'])]);
});
list(document.getElementById('skipped'), D.skipped, 4, function (r) {
  return el('tr', { 'data-article': r[0], 'data-reason': r[2] }, [el('th', { scope: 'row' }, [r[0]]), el('td', null, [r[1] || '(no source)']), el('td', null, [r[2]]), el('td', null, [r[3]])]);
});

renderOverview();
var m = /^#cluster=(.+)$/.exec(location.hash);
if (m) {
  var want = decodeURIComponent(m[1]);
  clusters.forEach(function (c) { if (c.id === want) setOpen(c, true); });
}
document.documentElement.setAttribute('data-ready', '');
})();`
