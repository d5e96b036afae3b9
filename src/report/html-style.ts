// The report page's stylesheet, inlined into every page: system fonts only, nothing to load.
// Every status has a letter as well as a colour, so the page reads without colour too.

const PALETTE = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --card: #ffffff; --ink: #1f2328; --muted: #5d6873; --line: #d8dee4; --soft: #eef1f4;
  --accent: #0b5cad; --head: #14233a; --head-ink: #e9eef5; --head-muted: #a9b7c9;
  --kept: #1a7f37; --kept-bg: #d6f5de; --kept-row: #f4fbf6;
  --edited: #7d4e00; --edited-bg: #ffeeb8; --edited-row: #fffaea;
  --reworded: #0b6e7f; --reworded-bg: #d3f1f5; --reworded-row: #f2fafb;
  --translated: #6639ba; --translated-bg: #ece2ff; --translated-row: #faf7ff;
  --moved: #953800; --moved-bg: #ffe0c7; --moved-row: #fff6ef;
  --added: #0550ae; --added-bg: #d8e8ff; --added-row: #f3f8ff;
  --cut: #a40e26; --cut-bg: #ffdcdc; --cut-row: #fff6f6;
  --reference: #24292f; --reference-bg: #e2e6ea;
  --absent: #9aa4af;
  --ins-bg: #b4f0c4; --del-bg: #ffc9c6; --passage-bg: #dcecff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1318; --card: #171c23; --ink: #e4e8ec; --muted: #9aa5b1; --line: #2f3741; --soft: #1f252d;
    --accent: #6cb0ff; --head: #0b1622; --head-ink: #e9eef5; --head-muted: #8fa1b6;
    --kept: #6fdd8b; --kept-bg: #1d3b27; --kept-row: #15221a;
    --edited: #f2c75c; --edited-bg: #41330f; --edited-row: #221d10;
    --reworded: #6fd3e3; --reworded-bg: #163a40; --reworded-row: #132226;
    --translated: #c4a5ff; --translated-bg: #33264f; --translated-row: #1e1a29;
    --moved: #ffa66b; --moved-bg: #4a2b14; --moved-row: #241a12;
    --added: #7cb7ff; --added-bg: #1b3358; --added-row: #141d2b;
    --cut: #ff8c8c; --cut-bg: #4d1f22; --cut-row: #241617;
    --reference: #e4e8ec; --reference-bg: #36404b;
    --absent: #5d6873;
    --ins-bg: #1f5a31; --del-bg: #6b2327; --passage-bg: #1d3552;
  }
}
`

const LAYOUT = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h2 { font-size: 22px; font-weight: 650; }
h3 { font-size: 16px; font-weight: 650; margin-bottom: 10px; }

.page-head { background: var(--head); color: var(--head-ink); padding: 28px 0 0; margin-bottom: 28px; }
.page-head .brand { margin: 0 0 4px; font: 600 12px/1 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; letter-spacing: .14em; text-transform: uppercase; color: var(--head-muted); }
.page-head h1 { font-size: 30px; font-weight: 700; }
.page-head .lede { margin: 6px 0 20px; color: var(--head-muted); }
.stats { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 22px; }
.stats div { background: rgba(255,255,255,.07); border: 1px solid rgba(255,255,255,.12); border-radius: 10px; padding: 10px 16px; min-width: 120px; }
.stats dt { font-size: 12px; color: var(--head-muted); text-transform: uppercase; letter-spacing: .06em; }
.stats dd { margin: 2px 0 0; font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
.toc { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 0; padding: 12px 0 14px; border-top: 1px solid rgba(255,255,255,.12); }
.toc a { color: var(--head-ink); font-size: 14px; }

main { display: block; }
section.cluster { margin: 0 0 36px; }
section.cluster > h2 { margin: 0 0 4px; }
.refline { margin: 0 0 14px; color: var(--muted); }
.refline strong { color: var(--ink); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 18px 20px; margin: 0 0 18px; box-shadow: 0 1px 2px rgba(16,24,40,.04); }
.card > h2 { margin-bottom: 8px; }
.card > p.muted { margin: 0 0 14px; max-width: 75ch; }
.scroll { overflow-x: auto; }

table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px; }
thead th { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 1px solid var(--line); white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.plain tbody tr + tr th, table.plain tbody tr + tr td { border-top: 1px solid var(--soft); }
td.reason, p.reason { color: var(--muted); font-size: 13px; }

.members tbody + tbody { border-top: 1px solid var(--line); }
.members .member-main th { font-weight: 400; min-width: 240px; }
.members .member-main td { padding-top: 10px; }
.members .member-detail td { padding-top: 0; padding-bottom: 12px; }
.members .id { display: inline-block; font: 600 14px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin-right: 8px; }
.members .outlet { font-weight: 600; }
.members .member-main th .muted { display: block; }
.members p.reason { margin: 0 0 6px; max-width: 95ch; }
.strip-wrap { display: block; }
.strip { display: flex; flex-wrap: wrap; gap: 2px; }
.counts { margin: 6px 0 0; font-size: 13px; color: var(--muted); }

.badge { display: inline-flex; align-items: center; justify-content: center; width: 18px; height: 18px; border-radius: 4px;
  font: 700 11px/1 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border: 1px solid transparent; }
.s-kept.badge, .s-carried.badge { color: var(--kept); background: var(--kept-bg); }
.s-edited.badge { color: var(--edited); background: var(--edited-bg); }
.s-reworded.badge { color: var(--reworded); background: var(--reworded-bg); }
.s-translated.badge { color: var(--translated); background: var(--translated-bg); }
.s-moved.badge { color: var(--moved); background: var(--moved-bg); }
.s-added.badge, .s-addition.badge { color: var(--added); background: var(--added-bg); }
.s-cut.badge { color: var(--cut); background: var(--cut-bg); }
.s-reference.badge { color: var(--reference); background: var(--reference-bg); }
.s-absent.badge { color: var(--absent); background: transparent; border: 1px dashed var(--line); }

.rel { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid var(--line); background: var(--soft); white-space: nowrap; }
.rel-reference { background: var(--reference-bg); }
.rel-duplicate, .rel-copy { color: var(--kept); background: var(--kept-bg); border-color: transparent; }
.rel-partial { color: var(--edited); background: var(--edited-bg); border-color: transparent; }
.rel-rewrite { color: var(--reworded); background: var(--reworded-bg); border-color: transparent; }
.rel-translation { color: var(--translated); background: var(--translated-bg); border-color: transparent; }
.conf { margin-left: 6px; font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.tag { display: inline-block; padding: 0 7px; border-radius: 6px; font: 600 11px/1.7 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft); color: var(--muted); border: 1px solid var(--line); }

.legend-list { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 6px 20px; }
.legend-list li { display: flex; align-items: baseline; gap: 8px; font-size: 14px; }
.legend-list .badge { flex: none; transform: translateY(3px); }

.matrix { width: auto; min-width: 100%; }
.matrix tbody tr:nth-child(even) { background: var(--soft); }
.matrix tbody th, .matrix td { padding: 5px 8px; }
.matrix tbody th { color: var(--muted); font-weight: 400; }
.matrix .ptext { width: 100%; min-width: 320px; font-size: 13px; }
.matrix .clamp { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; max-width: 88ch; }
.matrix tr[data-addition] .ptext { color: var(--added); }
.matrix tr[data-shared] .tag { color: var(--translated); }
.matrix tr[data-kind="heading"] .ptext { font-weight: 650; }
.matrix .outlet-col { text-align: center; text-transform: none; letter-spacing: 0; }
.matrix .outlet-col span { display: block; }
.matrix .outlet-col .id { font: 700 13px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--ink); }
.matrix .lang { margin-top: 3px; display: inline-block !important; padding: 0 6px; border-radius: 4px; background: var(--soft); border: 1px solid var(--line); font: 600 11px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--ink); }
.matrix .lang.unknown { color: var(--muted); border-style: dashed; }
.matrix td.cell { text-align: center; vertical-align: middle; }

.diff details > summary { cursor: pointer; list-style: none; display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 12px; }
.diff details > summary::-webkit-details-marker { display: none; }
.diff details > summary::before { content: "▸"; color: var(--muted); width: 12px; }
.diff details[open] > summary::before { content: "▾"; }
.diff details > summary h3 { display: inline; margin: 0; }
.diff details[open] > summary { margin-bottom: 12px; }
.sbs { table-layout: fixed; font-size: 14px; }
.sbs col.st-col { width: 38px; }
.sbs thead th { white-space: normal; }
.sbs tbody tr { border-top: 1px solid var(--card); }
.sbs td { padding: 8px 12px; }
.sbs td.st { padding: 9px 6px 0 10px; }
.sbs td.text { overflow-wrap: anywhere; white-space: pre-line; }
.sbs td.text + td.text { border-left: 1px solid var(--line); }
.sbs td.empty { background: repeating-linear-gradient(135deg, transparent 0 6px, var(--soft) 6px 8px); }
.sbs .pn, .run .pn { color: var(--muted); font: 11px/1 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin-right: 6px; }
.sbs .note { display: block; margin-top: 4px; font-size: 12px; color: var(--muted); }
.row { box-shadow: inset 4px 0 0 var(--line); }
.row.s-kept { background: var(--kept-row); box-shadow: inset 4px 0 0 var(--kept); }
.row.s-edited { background: var(--edited-row); box-shadow: inset 4px 0 0 var(--edited); }
.row.s-reworded { background: var(--reworded-row); box-shadow: inset 4px 0 0 var(--reworded); }
.row.s-translated { background: var(--translated-row); box-shadow: inset 4px 0 0 var(--translated); }
.row.s-moved { background: var(--moved-row); box-shadow: inset 4px 0 0 var(--moved); }
.row.s-added { background: var(--added-row); box-shadow: inset 4px 0 0 var(--added); }
.row.s-cut { background: var(--cut-row); box-shadow: inset 4px 0 0 var(--cut); }
.row.s-cut td.text:not(.empty) { color: var(--muted); }
.run details summary { cursor: pointer; color: var(--cut); font-weight: 600; font-size: 13px; }
.run details p { margin: 8px 0 0; }
ins { background: var(--ins-bg); text-decoration: underline; text-decoration-thickness: 1px; text-underline-offset: 2px; border-radius: 2px; padding: 0 1px; }
del { background: var(--del-bg); text-decoration: line-through; border-radius: 2px; padding: 0 1px; }

.bp { border-top: 1px solid var(--soft); padding-top: 12px; margin-top: 12px; }
.bp h3 { font-size: 15px; }
.bp-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.bp-head { margin: 0 0 4px; }
pre.removed { margin: 0; padding: 10px 12px; background: var(--soft); border: 1px solid var(--line); border-radius: 8px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 14em; overflow: auto;
  font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--ink); }

button { font: inherit; color: inherit; }
.controls { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: flex-end; margin: 0 0 8px; }
.controls label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.controls label.grow { flex: 1 1 260px; }
.controls input, .controls select { font: 14px/1.3 inherit; font-family: inherit; text-transform: none; letter-spacing: 0; color: var(--ink); background: var(--card);
  border: 1px solid var(--line); border-radius: 8px; padding: 7px 10px; min-width: 120px; max-width: 320px; }
.controls label.grow input { max-width: none; width: 100%; }
.controls input[type="number"] { width: 90px; min-width: 0; }
button.more { border: 1px solid var(--line); background: var(--soft); border-radius: 8px; padding: 6px 14px; cursor: pointer; }
table.overview { font-size: 14px; table-layout: fixed; min-width: 900px; }
table.overview col.c-headline { width: 36%; }
table.overview col.c-size { width: 6%; }
table.overview col.c-outlets { width: 15%; }
table.overview col.c-langs { width: 9%; }
table.overview col.c-dates { width: 17%; }
table.overview col.c-rels { width: 17%; }
table.overview td { overflow-wrap: anywhere; }
table.overview tbody tr[data-row] + tr[data-row] td { border-top: 1px solid var(--soft); }
table.overview tbody tr[data-row]:hover { background: var(--soft); }
table.overview tr.is-open { background: var(--soft); }
table.overview td { padding: 7px 10px; }
button.sort { border: 0; background: none; padding: 0; cursor: pointer; font: inherit; text-transform: inherit; letter-spacing: inherit; color: inherit; }
th[aria-sort="ascending"] button.sort::after { content: " ▲"; }
th[aria-sort="descending"] button.sort::after { content: " ▼"; }
button.open-btn { display: flex; gap: 6px; align-items: baseline; border: 0; background: none; padding: 0; margin: 0; cursor: pointer; text-align: left; color: var(--ink); font-weight: 600; }
button.open-btn .caret { color: var(--muted); width: 12px; flex: none; }
button.open-btn:hover .hl { text-decoration: underline; }
button.open-btn .hl.none { color: var(--muted); font-weight: 400; font-style: italic; }
.cid { display: block; margin-left: 18px; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); }
td.dates { font-variant-numeric: tabular-nums; }
td.rels .rel { margin: 0 4px 3px 0; }
tr.detail-row > td { padding: 6px 0 18px; background: var(--bg); }
.cluster-detail { padding: 14px 12px 0; border-left: 3px solid var(--accent); }
.cluster-detail .card { margin-bottom: 14px; }
.members .mhl { display: block; font-weight: 600; max-width: 70ch; }
mark.passage { background: var(--passage-bg); color: inherit; border-radius: 2px; }
.bp h4 { margin: 0 0 6px; font: 600 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }

.foot { color: var(--muted); font-size: 13px; padding-top: 8px; padding-bottom: 40px; }
@media print {
  body { background: #fff; }
  .page-head { background: #fff; color: #000; }
  .card { box-shadow: none; break-inside: avoid-page; }
}
`

/** The whole stylesheet, minified a little (comments and indentation dropped). */
export const STYLES = (PALETTE + LAYOUT).replace(/\n\s*/g, '\n').trim()
