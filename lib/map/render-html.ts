import { IdentityMapDocument } from './identity-map';

/**
 * A self-contained page (no network at view time): the map's data inline,
 * drawn as columns cluster -> namespace -> ServiceAccount -> role ->
 * resources, searchable and filterable, with a table view and the flags.
 */
export function renderIdentityMapHtml(map: IdentityMapDocument, title = 'Identity map'): string {
  // '<' escaped, so no string in the data can close the script element.
  const data = JSON.stringify(map).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
:root { --bg:#f7f8fa; --fg:#1d2330; --muted:#6b7385; --line:#c9cfdb; --cluster:#3b5bdb; --ns:#0b7285; --sa:#2b8a3e; --role:#c2255c; --res:#e67700; --flag:#e03131; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line); padding: 10px 16px; display:flex; gap:12px; align-items:center; flex-wrap:wrap; }
header h1 { font-size: 16px; margin: 0 12px 0 0; }
header input, header select, header button { font: inherit; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background:#fff; }
header input { width: 320px; }
header button.active { background: var(--fg); color:#fff; }
.stats { color: var(--muted); margin-left:auto; }
main { padding: 12px 16px; }
#flags { background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px 12px; margin-bottom:12px; }
#flags summary { cursor:pointer; font-weight:600; }
#flags li { margin: 2px 0; }
.flag-kind { display:inline-block; min-width: 170px; color: var(--flag); font-weight:600; }
svg text { font-size: 12px; }
.node rect { rx: 6; ry: 6; stroke-width: 1.5; fill: #fff; }
.node.cluster rect { stroke: var(--cluster); } .node.namespace rect { stroke: var(--ns); } .node.sa rect { stroke: var(--sa); }
.node.role rect { stroke: var(--role); } .node.resource rect { stroke: var(--res); }
.node.hit rect { fill: #fff3bf; stroke-width: 3; }
.edge { fill: none; stroke: var(--line); stroke-width: 1.2; }
.col-title { font-weight: 700; fill: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
table { border-collapse: collapse; width:100%; background:#fff; border:1px solid var(--line); }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid #edf0f5; vertical-align: top; }
th { background:#eef1f6; position: sticky; top: 52px; }
td code { font-size: 12px; }
.mech { font-weight:600; } .mech.NONE { color: var(--flag); }
.hidden { display:none; }
#empty { color: var(--muted); padding: 20px; }
</style>
</head>
<body>
<header>
  <h1>${escapeHtml(title)}</h1>
  <input id="search" type="search" placeholder="Search ServiceAccount, namespace, role, action or resource" autocomplete="off">
  <select id="cluster-filter"><option value="">All clusters</option></select>
  <button id="view-graph" class="active" type="button">Graph</button>
  <button id="view-table" type="button">Table</button>
  <span class="stats" id="stats"></span>
</header>
<main>
  <details id="flags"><summary id="flags-summary"></summary><ul id="flag-list"></ul></details>
  <div id="graph"></div>
  <div id="table" class="hidden"></div>
  <div id="empty" class="hidden">Nothing matches.</div>
</main>
<script id="identity-map-data" type="application/json">${data}</script>
<script>
(function () {
  var map = JSON.parse(document.getElementById('identity-map-data').textContent);
  var roles = {}; map.roles.forEach(function (r) { roles[r.id] = r; });
  var rows = [];
  map.clusters.forEach(function (c) { c.namespaces.forEach(function (n) { n.serviceAccounts.forEach(function (s) {
    var rs = s.roles.map(function (id) { return roles[id] || { id: id, path: id, arn: id, permissions: [], trust: [] }; });
    var grants = [];
    rs.forEach(function (r) { r.permissions.forEach(function (p) { if (p.effect === 'Allow') { grants.push({ role: r.path, actions: p.actions, resources: p.resources }); } }); });
    var text = [c.name, n.name, s.name, s.mechanism, s.migration || '', s.workloads.join(' ')].concat(rs.map(function (r) { return r.path + ' ' + r.arn; }))
      .concat(grants.map(function (g) { return g.actions.join(' ') + ' ' + g.resources.join(' '); })).join(' ').toLowerCase();
    rows.push({ cluster: c.name, namespace: n.name, sa: s, roles: rs, grants: grants, text: text });
  }); }); });
  var clusterFilter = document.getElementById('cluster-filter');
  map.clusters.forEach(function (c) { var o = document.createElement('option'); o.value = c.name; o.textContent = c.name; clusterFilter.appendChild(o); });
  var flagList = document.getElementById('flag-list');
  document.getElementById('flags-summary').textContent = map.flags.length + ' flags for review';
  map.flags.forEach(function (f) {
    var li = document.createElement('li');
    var k = document.createElement('span'); k.className = 'flag-kind'; k.textContent = f.kind;
    li.appendChild(k); li.appendChild(document.createTextNode(f.subject + ': ' + f.message)); flagList.appendChild(li);
  });
  var state = { q: '', cluster: '', view: 'graph' };
  function visible() {
    return rows.filter(function (r) { return (!state.cluster || r.cluster === state.cluster) && (!state.q || r.text.indexOf(state.q) >= 0); });
  }
  var SVG = 'http://www.w3.org/2000/svg';
  function el(name, attrs, parent) { var e = document.createElementNS(SVG, name); for (var k in attrs) { e.setAttribute(k, attrs[k]); } if (parent) { parent.appendChild(e); } return e; }
  function shorten(s, n) { return s.length > n ? s.slice(0, n - 1) + '\\u2026' : s; }
  function drawGraph(list) {
    var host = document.getElementById('graph'); host.innerHTML = '';
    var cols = [[], [], [], [], []], index = [{}, {}, {}, {}, {}], edges = [];
    function node(col, key, label, kind, hit) {
      if (!(key in index[col])) { index[col][key] = cols[col].length; cols[col].push({ key: key, label: label, kind: kind, hit: false }); }
      var n = cols[col][index[col][key]]; n.hit = n.hit || hit; return index[col][key];
    }
    function edge(c1, a, c2, b) { edges.push([c1, a, c2, b]); }
    list.forEach(function (r) {
      var hit = !!state.q;
      var c = node(0, r.cluster, r.cluster, 'cluster', false);
      var n = node(1, r.cluster + '/' + r.namespace, r.namespace, 'namespace', false);
      var s = node(2, r.cluster + '/' + r.namespace + '/' + r.sa.name, r.sa.name + ' (' + r.sa.mechanism + (r.sa.migration ? ', ' + r.sa.migration : '') + ')', 'sa', hit && (r.sa.name.toLowerCase().indexOf(state.q) >= 0));
      edge(0, c, 1, n); edge(1, n, 2, s);
      r.roles.forEach(function (role) {
        var ro = node(3, role.id, role.path, 'role', hit && role.path.toLowerCase().indexOf(state.q) >= 0);
        edge(2, s, 3, ro);
        role.permissions.forEach(function (p) { if (p.effect !== 'Allow') { return; } p.resources.forEach(function (res) {
          var x = node(4, res, res + '  [' + p.actions.length + ' action' + (p.actions.length === 1 ? '' : 's') + ']', 'resource', hit && res.toLowerCase().indexOf(state.q) >= 0);
          edge(3, ro, 4, x);
        }); });
      });
    });
    var width = 1500, colW = 300, rowH = 26, top = 30;
    var height = top + rowH * Math.max(1, Math.max.apply(null, cols.map(function (c) { return c.length; }))) + 10;
    var svg = el('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'identity graph' }, host);
    ['Clusters', 'Namespaces', 'ServiceAccounts', 'Roles', 'Resources (allowed)'].forEach(function (t, i) { var tx = el('text', { x: i * colW + 8, y: 16, 'class': 'col-title' }, svg); tx.textContent = t; });
    function y(col, i) { return top + i * rowH + 10; }
    var seen = {};
    edges.forEach(function (e) {
      var k = e.join(','); if (seen[k]) { return; } seen[k] = true;
      var x1 = e[0] * colW + 270, y1 = y(e[0], e[1]), x2 = e[2] * colW + 4, y2 = y(e[2], e[3]);
      el('path', { d: 'M' + x1 + ',' + y1 + ' C' + (x1 + 20) + ',' + y1 + ' ' + (x2 - 20) + ',' + y2 + ' ' + x2 + ',' + y2, 'class': 'edge' }, svg);
    });
    cols.forEach(function (col, ci) { col.forEach(function (n, i) {
      var g = el('g', { 'class': 'node ' + n.kind + (n.hit ? ' hit' : ''), 'data-key': n.key }, svg);
      el('rect', { x: ci * colW + 4, y: y(ci, i) - 10, width: 266, height: 20 }, g);
      var t = el('text', { x: ci * colW + 10, y: y(ci, i) + 4 }, g); t.textContent = shorten(n.label, 42);
      var tip = el('title', {}, g); tip.textContent = n.label;
    }); });
  }
  function drawTable(list) {
    var host = document.getElementById('table'); host.innerHTML = '';
    var table = document.createElement('table');
    table.innerHTML = '<thead><tr><th>Cluster</th><th>Namespace</th><th>ServiceAccount</th><th>Mechanism</th><th>Pods</th><th>Roles</th><th>May do</th></tr></thead>';
    var body = document.createElement('tbody');
    list.forEach(function (r) {
      var tr = document.createElement('tr'); tr.className = 'sa-row'; tr.setAttribute('data-sa', r.cluster + '/' + r.namespace + '/' + r.sa.name);
      function td(text, cls) { var d = document.createElement('td'); if (cls) { d.className = cls; } d.textContent = text; tr.appendChild(d); return d; }
      td(r.cluster); td(r.namespace); td(r.sa.name); td(r.sa.mechanism + (r.sa.migration ? ' (' + r.sa.migration + ')' : ''), 'mech ' + r.sa.mechanism);
      td(r.sa.workloads.join(', ')); td(r.roles.map(function (x) { return x.path; }).join(', '));
      td(r.grants.map(function (g) { return g.actions.join(', ') + ' on ' + g.resources.join(', '); }).join('\\n'));
      body.appendChild(tr);
    });
    table.appendChild(body); host.appendChild(table);
  }
  function render() {
    var list = visible();
    document.getElementById('stats').textContent = list.length + ' of ' + rows.length + ' ServiceAccounts, ' + map.roles.length + ' roles';
    document.getElementById('empty').classList.toggle('hidden', list.length > 0);
    document.getElementById('graph').classList.toggle('hidden', state.view !== 'graph');
    document.getElementById('table').classList.toggle('hidden', state.view !== 'table');
    if (state.view === 'graph') { drawGraph(list); } else { drawTable(list); }
    document.body.setAttribute('data-rendered', String(list.length));
  }
  document.getElementById('search').addEventListener('input', function (e) { state.q = e.target.value.trim().toLowerCase(); render(); });
  clusterFilter.addEventListener('change', function (e) { state.cluster = e.target.value; render(); });
  document.getElementById('view-graph').addEventListener('click', function () { state.view = 'graph'; this.classList.add('active'); document.getElementById('view-table').classList.remove('active'); render(); });
  document.getElementById('view-table').addEventListener('click', function () { state.view = 'table'; this.classList.add('active'); document.getElementById('view-graph').classList.remove('active'); render(); });
  render();
})();
</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}
