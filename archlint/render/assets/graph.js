/* archlint graph: reads the JSON data of this page, lays the groups out in columns by rank
   (computed by archlint), draws SVG. No library, no network. Everything from the data is
   put in the page as text nodes or attributes, never as markup. */
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const { nodes, groups, edges, findings } = data;
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("graph");
  const canvas = document.getElementById("canvas");
  const details = document.getElementById("details");
  const search = document.getElementById("search");
  const toggle = document.getElementById("view-toggle");
  const BOX_W = 220, BOX_H = 46, CELL_W = 240, ROW_H = 22, ROWS = 30, PAD = 10, HEAD = 28;
  const COL_GAP = 120, GROUP_GAP = 30, MARGIN = 24, LABEL = 34;

  const outgoing = nodes.map(() => []), incoming = nodes.map(() => []);
  edges.forEach((e, k) => { outgoing[e[0]].push(k); incoming[e[1]].push(k); });
  const nodeFindings = nodes.map(() => []);
  findings.forEach((f, k) => f.nodes.forEach((n) => nodeFindings[n].push(k)));
  const members = groups.map(() => []);
  nodes.forEach((n, i) => members[n.group].push(i));
  const groupFindings = members.map((list) => [...new Set(list.flatMap((i) => nodeFindings[i]))].sort((a, b) => a - b));
  const expanded = groups.map(() => data.view === "module");
  let selected = null; // "m<node index>" or "g<group index>"
  let zoom = 1, size = { w: 0, h: 0 };
  let nodeEls = new Map(), edgeEls = [], view = null, timer = 0;

  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
    return e;
  };
  const sv = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const short = (text, n) => (text.length > n ? "\u2026" + text.slice(text.length - n + 1) : text);
  const keyOf = (i) => (expanded[nodes[i].group] ? "m" + i : "g" + nodes[i].group);
  const nameOf = (key) => (key[0] === "m" ? nodes[+key.slice(1)].id : groups[+key.slice(1)].name);
  const groupLabel = (g) => (groups[g].kind === "external" ? groups[g].name : groups[g].kind + " " + groups[g].name);
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

  // What the search leaves: a module whose name (or whose group's name) holds the query.
  function filtered() {
    const q = search.value.trim().toLowerCase();
    const groupHit = groups.map((g) => !!q && g.name.toLowerCase().includes(q));
    const hit = nodes.map((n) => !!q && n.id.toLowerCase().includes(q));
    const shown = members.map((list, gi) => (q && !groupHit[gi] ? list.filter((i) => hit[i]) : list));
    return { q, hit, groupHit, shown, show: shown.map((list, gi) => list.length > 0 || groupHit[gi]) };
  }

  function layout() {
    const pos = new Map(), boxes = [], byRank = new Map();
    groups.forEach((g, gi) => {
      if (!byRank.has(g.rank)) byRank.set(g.rank, []);
      byRank.get(g.rank).push(gi);
    });
    let x = MARGIN, height = 0;
    for (const rank of [...byRank.keys()].sort((a, b) => a - b)) {
      let y = MARGIN, width = 0;
      for (const gi of byRank.get(rank)) {
        if (!view.show[gi]) continue;
        const list = view.shown[gi];
        if (!expanded[gi]) {
          pos.set("g" + gi, { x, y, w: BOX_W, h: BOX_H });
          width = Math.max(width, BOX_W);
          y += BOX_H + GROUP_GAP;
          continue;
        }
        const rows = Math.min(list.length, ROWS), cols = Math.ceil(list.length / ROWS);
        const box = { gi, x, y, w: cols * CELL_W, h: HEAD + rows * ROW_H + PAD - 4 };
        list.forEach((i, k) => {
          pos.set("m" + i, { x: x + PAD + Math.floor(k / ROWS) * CELL_W, y: y + HEAD + (k % ROWS) * ROW_H, w: CELL_W - 2 * PAD, h: ROW_H - 4 });
        });
        boxes.push(box);
        width = Math.max(width, box.w);
        y += box.h + GROUP_GAP;
      }
      height = Math.max(height, y);
      x += width + COL_GAP;
    }
    return { pos, boxes, width: Math.max(x - COL_GAP + MARGIN, 200), height: Math.max(height, 100) };
  }

  function edgePath(a, b) {
    const y1 = a.y + a.h / 2, y2 = b.y + b.h / 2;
    if (b.x >= a.x + a.w + 10) { // forward: right side to left side
      const x1 = a.x + a.w, x2 = b.x, dx = Math.max(30, (x2 - x1) / 2);
      return `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
    }
    if (b.x + b.w <= a.x - 10) { // backward: left side to the target's right side
      const x1 = a.x, x2 = b.x + b.w, dx = Math.max(30, (x1 - x2) / 2);
      return `M${x1},${y1} C${x1 - dx},${y1} ${x2 + dx},${y2} ${x2},${y2}`;
    }
    const x1 = a.x + a.w, x2 = b.x + b.w, out = Math.max(x1, x2) + 24 + Math.min(100, Math.abs(y2 - y1) / 5);
    return `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2},${y2}`;
  }

  function draw() {
    view = filtered();
    const { pos, boxes, width, height } = layout();
    size = { w: width, h: height };
    const defs = sv("defs");
    for (const [id, colour] of [["arrow", "#8a94a6"], ["arrow-red", "#dc2626"], ["arrow-hl", "#2563eb"]]) {
      const marker = sv("marker", { id, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "8", markerHeight: "8", markerUnits: "userSpaceOnUse", orient: "auto" });
      marker.append(sv("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }));
      defs.append(marker);
    }
    const groupLayer = sv("g", { id: "groups" }), edgeLayer = sv("g", { id: "edges" }), nodeLayer = sv("g", { id: "nodes" });
    for (const box of boxes) {
      const g = groups[box.gi];
      const el_ = sv("g", { class: "group", "data-group": g.name, "data-kind": g.kind, "data-index": box.gi });
      el_.append(sv("rect", { class: "group-box", x: box.x, y: box.y, width: box.w, height: box.h, rx: 6 }));
      const title = sv("text", { class: "group-title", x: box.x + PAD, y: box.y + 18, "data-index": box.gi }, short(groupLabel(box.gi), 40) + " (" + members[box.gi].length + ")");
      title.append(sv("title", {}, "Click to fold " + groupLabel(box.gi) + " back into one box"));
      el_.append(title);
      groupLayer.append(el_);
    }
    const combined = new Map();
    edges.forEach((e, k) => {
      const s = keyOf(e[0]), t = keyOf(e[1]);
      if (s === t || !pos.has(s) || !pos.has(t)) return;
      let c = combined.get(s + ">" + t);
      if (!c) combined.set(s + ">" + t, (c = { s, t, count: 0, violation: false, typeOnly: true }));
      c.count += 1;
      c.violation = c.violation || (e[2] & 1) === 1;
      c.typeOnly = c.typeOnly && (e[2] & 2) === 2;
    });
    const drawn = [...combined.values()].sort((a, b) => a.violation - b.violation);
    edgeEls = drawn.map((c) => {
      const cls = "edge" + (c.violation ? " violation" : "") + (c.typeOnly ? " type-only" : "");
      const path = sv("path", { class: cls, d: edgePath(pos.get(c.s), pos.get(c.t)), "data-source": nameOf(c.s), "data-target": nameOf(c.t), "marker-end": c.violation ? "url(#arrow-red)" : "url(#arrow)" });
      if (c.count > 1) path.style.strokeWidth = String(Math.min(6, 1 + Math.log2(c.count)));
      path.append(sv("title", {}, `${nameOf(c.s)} \u2192 ${nameOf(c.t)} (${plural(c.count, "import")})`));
      edgeLayer.append(path);
      return { el: path, s: c.s, t: c.t };
    });
    nodeEls = new Map();
    groups.forEach((g, gi) => {
      if (!view.show[gi]) return;
      const layer = sv("g", { class: "members", "data-group": g.name, "data-kind": g.kind });
      const keys = expanded[gi] ? view.shown[gi].map((i) => "m" + i) : ["g" + gi];
      for (const key of keys) {
        const p = pos.get(key), i = +key.slice(1), isModule = key[0] === "m";
        const count = isModule ? nodeFindings[i].length : groupFindings[gi].length;
        const cls = "node " + (isModule ? "module" : "group-node " + g.kind) + (isModule && nodes[i].external ? " external" : "") + (count ? " has-findings" : "");
        const match = isModule ? view.hit[i] : view.groupHit[gi] || (!!view.q && view.shown[gi].length > 0);
        const node = sv("g", { class: cls + (match ? " match" : ""), "data-key": key, "data-id": nameOf(key), "data-group": g.name, transform: `translate(${p.x},${p.y})` });
        node.append(sv("rect", { width: p.w, height: p.h, rx: isModule ? 3 : 6 }));
        if (isModule) {
          node.append(sv("text", { x: 6, y: p.h - 5, "font-size": 11 }, short(nodes[i].id, LABEL)));
        } else {
          node.append(sv("text", { x: 10, y: 19, "font-size": 13, "font-weight": 600 }, short(g.name, 28)));
          const sub = plural(members[gi].length, g.kind === "external" ? "package" : "module") + (count ? " \u00b7 " + plural(count, "finding") : "");
          node.append(sv("text", { x: 10, y: 37, "font-size": 11, fill: "#475569" }, sub));
        }
        node.append(sv("title", {}, (isModule ? nodes[i].id : groupLabel(gi) + ": click to expand") + (count ? ` (${plural(count, "finding")})` : "")));
        layer.append(node);
        nodeEls.set(key, node);
      }
      nodeLayer.append(layer);
    });
    svg.replaceChildren(defs, groupLayer, edgeLayer, nodeLayer);
    setZoom(zoom);
    const all = expanded.every(Boolean), none = !expanded.some(Boolean);
    document.body.dataset.view = all ? "module" : none ? "component" : "mixed";
    toggle.textContent = all ? "Component view" : "Module view";
    toggle.title = all ? "Fold every group into one box" : "Show every module";
    document.body.dataset.query = view.q;
    highlight();
  }

  function setZoom(z) {
    zoom = Math.min(4, Math.max(0.05, z));
    svg.setAttribute("viewBox", `0 0 ${size.w} ${size.h}`);
    svg.setAttribute("width", String(Math.round(size.w * zoom)));
    svg.setAttribute("height", String(Math.round(size.h * zoom)));
  }
  const fitZoom = () => Math.min(canvas.clientWidth / size.w, canvas.clientHeight / size.h);

  function refilter() {
    draw();
    canvas.scrollTo(0, 0);
    if (selected === null) panel();
  }

  function highlight() {
    svg.classList.toggle("has-selection", selected !== null);
    for (const node of nodeEls.values()) node.classList.remove("selected", "neighbour");
    for (const e of edgeEls) {
      const on = selected !== null && (e.s === selected || e.t === selected);
      e.el.classList.toggle("hl", on);
      if (!e.el.classList.contains("violation")) e.el.setAttribute("marker-end", on ? "url(#arrow-hl)" : "url(#arrow)");
      if (on) nodeEls.get(e.s === selected ? e.t : e.s).classList.add("neighbour");
    }
    if (selected !== null && nodeEls.has(selected)) nodeEls.get(selected).classList.add("selected");
  }

  function select(key, reveal) {
    const hidden = key !== null && key[0] === "m" && view.q && !view.shown[nodes[+key.slice(1)].group].includes(+key.slice(1));
    if (hidden) search.value = ""; // the search hid it: show everything again
    if (hidden || (key !== null && key[0] === "m" && !expanded[nodes[+key.slice(1)].group])) {
      expanded[nodes[+key.slice(1)].group] = true;
      selected = key;
      draw();
    } else {
      selected = key;
      highlight();
    }
    panel();
    if (reveal && key !== null && nodeEls.has(key)) {
      const r = nodeEls.get(key).getBBox(), m = nodeEls.get(key).transform.baseVal.consolidate().matrix;
      canvas.scrollTo({ left: (m.e + r.width / 2) * zoom - canvas.clientWidth / 2, top: (m.f + r.height / 2) * zoom - canvas.clientHeight / 2 });
    }
  }

  function findingItem(k) {
    const f = findings[k];
    const where = `${f.path}:${f.line}` + (f.contract ? ` [${f.contract}]` : "");
    const item = el("li", { class: "finding " + f.severity }, el("code", {}, f.code), " ", f.message, el("div", { class: "muted" }, where));
    if (f.nodes.length) { item.classList.add("link"); item.dataset.key = "m" + f.nodes[0]; }
    return item;
  }
  const findingList = (ks, limit) => el("ul", { class: "findings" }, ...ks.slice(0, limit).map(findingItem), ks.length > limit ? el("li", { class: "muted" }, `\u2026 and ${ks.length - limit} more`) : null);

  function importList(title, ks, end, cls) {
    const sorted = ks.slice().sort((a, b) => (edges[b][2] & 1) - (edges[a][2] & 1) || (nodes[edges[a][end]].id < nodes[edges[b][end]].id ? -1 : 1));
    const items = sorted.map((k) => {
      const e = edges[k], other = e[end], violation = (e[2] & 1) === 1;
      const where = `${nodes[e[0]].path || nodes[e[0]].id}:${e[3]}` + ((e[2] & 2) ? ", type-only" : "");
      return el("li", { class: "link" + (violation ? " violation" : ""), "data-key": "m" + other }, nodes[other].id, violation ? " \u2716 violates a contract" : null, el("div", { class: "muted" }, where));
    });
    return [el("h3", {}, `${title} (${ks.length})`), el("ul", { class: cls }, ...items)];
  }

  function panel() {
    details.replaceChildren();
    if (selected !== null && selected[0] === "m") {
      const i = +selected.slice(1), n = nodes[i];
      details.append(el("h2", {}, n.id), el("div", { class: "muted" }, n.external ? "external package" : n.path || ""), el("div", { class: "group-of" }, "in ", groupLabel(n.group)));
      if (n.also.length) details.append(el("p", { class: "note" }, `Also in ${n.also.length === 1 ? "component" : "components"} ${n.also.join(", ")}: a module in several components is drawn in the first, in config order.`));
      details.append(...importList("Imports", outgoing[i], 1, "imports-out"), ...importList("Imported by", incoming[i], 0, "imports-in"));
      details.append(el("h3", {}, `Findings (${nodeFindings[i].length})`), findingList(nodeFindings[i], 200));
      return;
    }
    if (selected !== null) {
      const gi = +selected.slice(1);
      details.append(el("h2", {}, groups[gi].name), el("div", { class: "muted" }, groupLabel(gi)));
      details.append(el("button", { type: "button", "data-action": expanded[gi] ? "collapse" : "expand", "data-index": gi }, expanded[gi] ? "Fold into one box" : "Show its modules"));
      details.append(el("h3", {}, `Findings (${groupFindings[gi].length})`), findingList(groupFindings[gi], 200));
      details.append(el("h3", {}, `Modules (${members[gi].length})`), el("ul", {}, ...members[gi].slice(0, 500).map((i) => el("li", { class: "link", "data-key": "m" + i }, nodes[i].id))));
      return;
    }
    const internal = nodes.filter((n) => !n.external).length, red = edges.filter((e) => e[2] & 1).length;
    details.append(el("h2", {}, data.title || "import graph"));
    details.append(el("p", {}, `${plural(internal, "module")}, ${plural(nodes.length - internal, "external package")}, ${plural(edges.length, "import")} (${red} violating), ${plural(findings.length, "finding")}.`));
    details.append(el("p", { class: "muted" }, "Modules are grouped by component; a module in several components is drawn in the first, in config order. Click a box to expand it or a module to see its imports and findings."));
    if (view.q) {
      const hits = nodes.map((n, i) => i).filter((i) => view.hit[i]);
      details.append(el("h3", {}, `Matches (${hits.length})`), el("ul", { class: "matches" }, ...hits.slice(0, 300).map((i) => el("li", { class: "link", "data-key": "m" + i }, nodes[i].id))));
    }
    details.append(el("h3", {}, `Findings (${findings.length})`), findingList(findings.map((f, k) => k), 300));
  }

  svg.addEventListener("click", (ev) => {
    const node = ev.target.closest(".node");
    const title = ev.target.closest(".group-title");
    if (node && node.dataset.key[0] === "g") {
      const gi = +node.dataset.key.slice(1);
      expanded[gi] = true;
      selected = "g" + gi;
      draw();
      panel();
    } else if (node) select(node.dataset.key, false);
    else if (title) {
      expanded[+title.dataset.index] = false;
      selected = "g" + title.dataset.index;
      draw();
      panel();
    } else select(null, false);
  });
  details.addEventListener("click", (ev) => {
    const action = ev.target.closest("[data-action]");
    if (action) {
      expanded[+action.dataset.index] = action.dataset.action === "expand";
      draw();
      panel();
      return;
    }
    const item = ev.target.closest("[data-key]");
    if (item) select(item.dataset.key, true);
  });
  toggle.addEventListener("click", () => {
    const all = expanded.every(Boolean);
    expanded.fill(!all);
    if (selected !== null && selected[0] === "m" && all) selected = null;
    draw();
    panel();
  });
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refilter, 120);
  });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") select(null, false); });
  document.getElementById("zoom-in").addEventListener("click", () => setZoom(zoom * 1.25));
  document.getElementById("zoom-out").addEventListener("click", () => setZoom(zoom / 1.25));
  document.getElementById("zoom-fit").addEventListener("click", () => setZoom(fitZoom()));
  canvas.addEventListener("wheel", (ev) => {
    if (!ev.ctrlKey) return;
    ev.preventDefault();
    setZoom(zoom * Math.exp(-ev.deltaY * 0.002));
  }, { passive: false });

  const started = performance.now();
  draw();
  zoom = Math.min(1, Math.max(0.75, fitZoom()));
  setZoom(zoom);
  panel();
  document.body.dataset.renderMs = String(Math.round(performance.now() - started));
  document.body.dataset.ready = "1";
})();
