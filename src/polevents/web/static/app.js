// polevents dashboard: plain JavaScript, no libraries, nothing fetched from another host.
// Every piece of data reaches the page through textContent or a checked attribute: never innerHTML,
// so an article or actor name containing markup shows as text.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const QUADS = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const QUAD_KEYS = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"];
const QUAD_COLORS = ["#9ecae1", "#3182bd", "#fdae6b", "#e6550d"];
const PAGE = 50;
const FIELDS = ["a", "b", "both", "root", "quad", "modality", "since", "until", "place", "country", "q", "by", "offset"];

const $ = (id) => document.getElementById(id);
let world = null;          // the map outline, loaded once
let summary = null;
let generation = 0;        // the newest load; answers to older ones are dropped

// ----- building DOM safely ---------------------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = String(value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, String(value));
  }
  if (text !== null) node.textContent = String(text);
  return node;
}

function tip(node, text) {          // an SVG tooltip, as text
  node.append(svg("title", {}, text));
  return node;
}

function safeHref(url) {             // only web addresses become links
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (error) {
    return null;
  }
}

function clear(node) { node.replaceChildren(); return node; }

function actorLabel(actor) {
  if (!actor) return "—";
  return actor.name ? `${actor.name}` : (actor.text || actor.code || "—");
}

// ----- state in the address (#a=USA&b=IRN...) ------------------------------------------------------------
function readState() {
  const params = new URLSearchParams(location.hash.slice(1));
  const state = {};
  for (const field of FIELDS) state[field] = params.get(field) || "";
  if (!params.has("both")) state.both = "1";
  if (!state.modality) state.modality = "asserted";
  if (!state.by) state.by = "month";
  state.offset = Math.max(0, parseInt(state.offset || "0", 10) || 0);
  return state;
}

function writeState(state) {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = state[field];
    if (value === "" || value === null || value === undefined) continue;
    if (field === "offset" && !value) continue;
    if (field === "modality" && value === "asserted") continue;
    if (field === "by" && value === "month") continue;
    params.set(field, String(value));
  }
  const hash = params.toString();
  if (location.hash.slice(1) === hash) load();
  else location.hash = hash;
}

function formToState() {
  const form = $("filters");
  const state = {};
  for (const field of FIELDS) {
    const input = form.elements.namedItem(field);
    if (!input) continue;
    state[field] = input.type === "checkbox" ? (input.checked ? "1" : "0") : input.value.trim();
  }
  state.offset = 0;
  return state;
}

function stateToForm(state) {
  const form = $("filters");
  for (const field of FIELDS) {
    const input = form.elements.namedItem(field);
    if (!input) continue;
    if (input.type === "checkbox") input.checked = state[field] !== "0";
    else input.value = state[field] || "";
  }
}

function filterParams(state, { actors = true } = {}) {
  const params = new URLSearchParams();
  const a = state.a.toUpperCase(), b = state.b.toUpperCase();
  if (actors) {
    if (a && b) {
      params.set("source", a);
      params.set("target", b);
      if (state.both !== "0") params.set("both_directions", "true");
    } else if (a || b) {
      params.set("actor", a || b);
    }
  }
  if (state.root) params.set("root", state.root);
  if (state.quad) params.set("quad_class", state.quad);
  params.set("modality", state.modality || "asserted");
  for (const field of ["since", "until", "place", "country"]) if (state[field]) params.set(field, state[field]);
  return params;
}

// ----- the API ----------------------------------------------------------------------------------------------
class ApiError extends Error {}

async function api(path, params) {
  const url = params ? `${path}?${params.toString()}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await response.json(); } catch (error) { body = null; }
  if (!response.ok) {
    const detail = body && typeof body.detail === "string" ? body.detail : `${response.status} ${response.statusText}`;
    throw new ApiError(detail);
  }
  return body;
}

function showError(message) {
  const box = $("error");
  box.textContent = message || "";
  box.hidden = !message;
}

// ----- loading everything for the current state ---------------------------------------------------------------
async function load() {
  const state = readState();
  stateToForm(state);
  const mine = ++generation;
  document.body.dataset.ready = "0";
  showError("");
  const jobs = [loadTable(state, mine), loadTimeline(state, mine), loadNetwork(state, mine), loadMap(state, mine)];
  const results = await Promise.allSettled(jobs);
  if (mine !== generation) return;
  const failed = results.find((r) => r.status === "rejected");
  if (failed) showError(failed.reason instanceof ApiError ? failed.reason.message : String(failed.reason));
  document.body.dataset.ready = "1";
}

// ----- the event table ----------------------------------------------------------------------------------------
async function loadTable(state, mine) {
  const params = filterParams(state);
  params.set("limit", String(PAGE));
  params.set("offset", String(state.offset));
  let page;
  if (state.q) {
    params.set("q", state.q);
    page = await api("/api/search", params);
  } else {
    page = await api("/api/events", params);
  }
  if (mine !== generation) return;
  const body = clear(document.querySelector("#events tbody"));
  const title = $("table-title");
  title.textContent = state.q ? `Reports whose evidence contains “${state.q}”` : "Events";
  title.append(el("span", { class: "muted", text: ` ${page.total} match${page.total === 1 ? "" : "es"}` }));
  $("events").dataset.total = String(page.total);
  if (!page.items.length) {
    body.append(el("tr", {}, el("td", { colspan: 7, class: "muted", text: "No events match these filters." })));
  }
  for (const item of page.items) body.append(eventRow(item));
  const last = Math.min(page.offset + page.items.length, page.total);
  $("page").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "";
  $("prev").disabled = page.offset === 0;
  $("next").disabled = last >= page.total;
}

function eventRow(item) {
  const row = el("tr", { class: "row", tabindex: 0, "aria-expanded": "false", "data-id": item.id },
    el("td", { class: "date", text: item.date || "undated", title: item.date_precision ? `date: ${item.date_precision}` : null }),
    actorCell(item.source),
    el("td", {},
      el("span", { class: `qc qc${item.quad_class}`, title: QUADS[item.quad_class] || "" }),
      item.cameo_name || "", " ", el("span", { class: "code", text: item.cameo || "" }),
      item.modality && item.modality !== "asserted" ? el("span", { class: "code", text: ` (${item.modality})` }) : null),
    actorCell(item.target),
    el("td", { text: item.location ? item.location.name : "" }),
    el("td", { class: "num", text: item.goldstein === null ? "" : item.goldstein.toFixed(1) }),
    el("td", { class: "num", text: item.num_reports }));
  const toggle = () => toggleDetail(row, item);
  row.addEventListener("click", toggle);
  row.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); }
  });
  return row;
}

function actorCell(actor) {
  if (!actor) return el("td", { class: "muted", text: "—" });
  return el("td", { title: actor.text || null }, actorLabel(actor), " ", el("span", { class: "code", text: actor.code || "" }));
}

function toggleDetail(row, item) {
  const next = row.nextElementSibling;
  if (next && next.classList.contains("detail")) {
    next.remove();
    row.classList.remove("open");
    row.setAttribute("aria-expanded", "false");
    return;
  }
  row.classList.add("open");
  row.setAttribute("aria-expanded", "true");
  row.after(el("tr", { class: "detail" }, el("td", { colspan: 7 }, evidenceBlock(item, true))));
}

// The sentence cut into plain and marked pieces; offsets are code points, so cut an array of them.
function evidenceSentence(item) {
  const text = Array.from(item.evidence || "");
  const p = el("p", { class: "evidence" });
  let at = 0;
  for (const mark of item.highlights || []) {
    if (mark.start < at || mark.end > text.length) continue;
    if (mark.start > at) p.append(text.slice(at, mark.start).join(""));
    p.append(el("mark", { class: `hl hl-${mark.role}`, title: mark.role, text: text.slice(mark.start, mark.end).join("") }));
    at = mark.end;
  }
  if (at < text.length) p.append(text.slice(at).join(""));
  if (!text.length) p.append(el("span", { class: "muted", text: "(no evidence sentence stored)" }));
  return p;
}

function evidenceBlock(item, withDocument) {
  const box = el("div", { class: "evidence-box" });
  box.append(evidenceSentence(item));
  box.append(el("div", { class: "legend" },
    el("span", { class: "hl hl-source", text: "source" }), el("span", { class: "hl hl-trigger", text: "trigger" }),
    el("span", { class: "hl hl-target", text: "target" })));
  const facts = [
    `CAMEO ${item.cameo || "?"} ${item.cameo_name || ""}`,
    item.plover_event ? `PLOVER ${item.plover_event}${item.plover_mode ? " (" + item.plover_mode + ")" : ""}` : null,
    `QuadClass ${item.quad_class} ${QUADS[item.quad_class] || ""}`,
    item.goldstein === null ? null : `Goldstein ${item.goldstein}`,
    `modality ${item.modality}`,
    `date ${item.date || "unknown"}${item.date_precision ? " (" + item.date_precision + ")" : ""}`,
    item.confidence === null ? null : `confidence ${item.confidence}`,
    item.num_reports > 1 ? `${item.num_reports} reports in ${item.num_articles} articles` : null,
  ].filter(Boolean);
  box.append(el("p", { class: "muted", text: facts.join(" · ") }));
  const article = el("p", { class: "article" });
  article.append(el("span", { text: item.title ? `“${item.title}”` : (item.doc_id || "") }));
  if (item.published) article.append(el("span", { class: "muted", text: ` published ${item.published}` }));
  const href = safeHref(item.url);
  if (href) {
    article.append(" ", el("a", { href, target: "_blank", rel: "noopener noreferrer", class: "article-link", text: "open the article ↗" }));
  }
  if (withDocument && item.doc_id) {
    article.append(" ", el("button", { type: "button", class: "doc-button", text: "all events of this article",
      onclick: (event) => { event.stopPropagation(); openDocument(item.doc_id); } }));
  }
  box.append(article);
  return box;
}

async function openDocument(docId) {
  const dialog = $("document");
  try {
    const doc = await api(`/api/documents/${encodeURIComponent(docId)}`);
    $("doc-title").textContent = doc.title || doc.doc_id;
    $("doc-meta").textContent = [doc.doc_id, doc.published ? `published ${doc.published}` : "date unknown",
      doc.source, `${doc.n_events} event${doc.n_events === 1 ? "" : "s"}`].filter(Boolean).join(" · ");
    const link = clear($("doc-link"));
    const href = safeHref(doc.url);
    if (href) link.append(el("a", { href, target: "_blank", rel: "noopener noreferrer", text: href }));
    else if (doc.origin) link.append(el("span", { class: "muted", text: `from ${doc.origin}` }));
    const list = clear($("doc-events"));
    for (const event of doc.events) {
      list.append(el("li", {}, el("strong", { text: `${actorLabel(event.source)} → ${event.cameo_name || event.cameo} → ${actorLabel(event.target)}` }),
        evidenceBlock(event, false)));
    }
    if (!dialog.open) dialog.showModal();
  } catch (error) {
    showError(error.message);
  }
}

// ----- the dyad timeline ----------------------------------------------------------------------------------------
async function loadTimeline(state, mine) {
  const box = $("timeline");
  const a = state.a.toUpperCase(), b = state.b.toUpperCase();
  const by = state.by || "month";
  let rows, title, total, undated, periods, empty;
  if (a && b) {
    const params = filterParams(state, { actors: false });
    params.set("a", a);
    params.set("b", b);
    params.set("by", by);
    const series = await api("/api/dyad", params);
    rows = series.directions.map((d) => ({ label: `${d.source} → ${d.target}`, key: d.direction, points: d.points }));
    title = `${series.a} ⇄ ${series.b}: ${series.total} events by ${by}`;
    ({ total, undated, periods } = series);
    empty = `No dated events between ${series.a} and ${series.b} for these filters`;
  } else {
    const params = filterParams(state);
    params.set("by", by);
    const series = await api("/api/timeline", params);
    rows = [{ label: "all matching events (set A and B for a dyad)", key: "all", points: series.points }];
    title = `Events over time: ${series.total} by ${by}`;
    ({ total, undated, periods } = series);
    empty = "No dated events for these filters";
  }
  if (mine !== generation) return;
  $("timeline-title").textContent = title + (undated ? ` (+${undated} undated)` : "");
  box.dataset.total = String(total);
  box.dataset.dyad = a && b ? `${a}-${b}` : "";
  clear(box);
  if (!periods.length) {
    box.append(el("p", { class: "empty", text: `${empty}${undated ? ` (${undated} undated)` : ""}.` }));
    return;
  }
  drawTimeline(box, rows, periods, by, undated);
}

function drawTimeline(box, rows, periods, by, undated) {
  const W = 640, rowH = rows.length > 1 ? 120 : 200, top = 22, left = 34, right = 34, bottom = 30;
  const H = top + (rowH + 11) * rows.length + bottom;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "timeline" });
  const n = periods.length;
  const step = (W - left - right) / n;
  const barW = Math.max(1, Math.min(40, step * 0.8));
  const max = Math.max(1, ...rows.flatMap((r) => r.points.map((p) => p.events)));
  let lx = left;
  QUAD_KEYS.forEach((key, k) => {
    chart.append(svg("rect", { x: lx, y: 6, width: 9, height: 9, fill: QUAD_COLORS[k] }));
    chart.append(svg("text", { x: lx + 12, y: 14, "font-size": 10 }, QUADS[k + 1]));
    lx += 24 + 5.6 * QUADS[k + 1].length;
  });
  chart.append(svg("line", { x1: lx, y1: 10, x2: lx + 14, y2: 10, stroke: "#222", "stroke-width": 1.5 }));
  chart.append(svg("text", { x: lx + 18, y: 14, "font-size": 10 }, "mean Goldstein"));
  rows.forEach((row, index) => {
    const y0 = top + index * (rowH + 11);
    const base = y0 + rowH - 14;
    const plotH = rowH - 30;
    const group = svg("g", { class: "series", "data-key": row.key });
    group.append(svg("text", { x: left, y: y0 + 12, "font-size": 11, "font-weight": 600 }, row.label));
    group.append(svg("line", { x1: left, y1: base, x2: W - right, y2: base, stroke: "#999" }));
    group.append(svg("text", { x: left - 4, y: base - plotH + 4, "font-size": 9, "text-anchor": "end" }, String(max)));
    group.append(svg("text", { x: left - 4, y: base + 3, "font-size": 9, "text-anchor": "end" }, "0"));
    const gy = (g) => base - plotH / 2 - (g / 10) * (plotH / 2);      // Goldstein -10..+10, right axis
    group.append(svg("line", { x1: left, y1: gy(0), x2: W - right, y2: gy(0), stroke: "#ccc", "stroke-dasharray": "2 3" }));
    group.append(svg("text", { x: W - right + 4, y: gy(10) + 3, "font-size": 9 }, "+10"));
    group.append(svg("text", { x: W - right + 4, y: gy(-10) + 3, "font-size": 9 }, "−10"));
    const segments = [[]];
    row.points.forEach((point, k) => {
      const x = left + k * step + (step - barW) / 2;
      let y = base;
      QUAD_KEYS.forEach((key, q) => {
        const count = point[key];
        if (!count) return;
        const h = (count / max) * plotH;
        y -= h;
        group.append(tip(svg("rect", { x, y, width: barW, height: h, fill: QUAD_COLORS[q], class: `bar q${q + 1}` }),
          `${point.period} ${row.label}: ${count} ${QUADS[q + 1]}`));
      });
      if (point.mean_goldstein === null) { if (segments[segments.length - 1].length) segments.push([]); return; }
      segments[segments.length - 1].push([x + barW / 2, gy(point.mean_goldstein), point]);
    });
    for (const segment of segments) {
      if (segment.length > 1) {
        group.append(svg("polyline", { points: segment.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "),
          fill: "none", stroke: "#222", "stroke-width": 1.5 }));
      }
      for (const [x, y, point] of segment) {
        group.append(tip(svg("circle", { cx: x, cy: y, r: 2.5, fill: "#222" }),
          `${point.period}: mean Goldstein ${point.mean_goldstein} over ${point.events} events`));
      }
    }
    chart.append(group);
  });
  const every = Math.max(1, Math.ceil(n / 8));
  periods.forEach((period, k) => {
    if (k % every) return;
    const label = by === "year" ? period.slice(0, 4) : by === "month" ? period.slice(0, 7) : period;
    chart.append(svg("text", { x: left + k * step + step / 2, y: H - 10, "font-size": 9, "text-anchor": "middle" }, label));
  });
  box.append(chart);
}

// ----- the actor network ----------------------------------------------------------------------------------------
async function loadNetwork(state, mine) {
  const params = filterParams(state);
  params.set("limit", "60");
  const net = await api("/api/network", params);
  if (mine !== generation) return;
  const box = clear($("network"));
  box.dataset.nodes = String(net.nodes.length);
  if (!net.nodes.length) {
    box.append(el("p", { class: "empty", text: "No events between two actors for these filters." }));
    return;
  }
  drawNetwork(box, net, state);
}

function layout(nodes, edges, W, H) {
  // A small force layout: repulsion between all nodes, springs along edges, a pull to the centre.
  // Deterministic: nodes start on a circle in the order the API gives (busiest first).
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const pos = nodes.map((n, i) => {
    const angle = (2 * Math.PI * i) / nodes.length;
    const radius = i === 0 ? 0 : Math.min(W, H) * 0.35;
    return { x: W / 2 + radius * Math.cos(angle), y: H / 2 + radius * Math.sin(angle), vx: 0, vy: 0 };
  });
  const links = edges.map((e) => [index.get(e.a), index.get(e.b), e.events]);
  const ideal = Math.min(W, H) / Math.max(3, Math.sqrt(nodes.length) * 1.2);
  for (let iter = 0; iter < 300; iter++) {
    const cool = 1 - iter / 300;
    for (let i = 0; i < pos.length; i++) {
      for (let j = i + 1; j < pos.length; j++) {
        let dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = dx * dx + dy * dy; }
        const force = (ideal * ideal) / d2;
        pos[i].vx += dx * force * 0.05; pos[i].vy += dy * force * 0.05;
        pos[j].vx -= dx * force * 0.05; pos[j].vy -= dy * force * 0.05;
      }
    }
    for (const [i, j] of links) {
      const dx = pos[j].x - pos[i].x, dy = pos[j].y - pos[i].y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const pull = ((d - ideal) / d) * 0.08;
      pos[i].vx += dx * pull; pos[i].vy += dy * pull;
      pos[j].vx -= dx * pull; pos[j].vy -= dy * pull;
    }
    for (const p of pos) {
      p.vx += (W / 2 - p.x) * 0.03; p.vy += (H / 2 - p.y) * 0.03;
      const speed = Math.sqrt(p.vx * p.vx + p.vy * p.vy);
      const cap = 20 * cool + 0.5;
      if (speed > cap) { p.vx *= cap / speed; p.vy *= cap / speed; }
      p.x += p.vx; p.y += p.vy;
      p.vx *= 0.5; p.vy *= 0.5;
    }
  }
  // fit into the box
  const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const pad = 55;
  const sx = (W - 2 * pad) / Math.max(1, maxX - minX), sy = (H - 2 * pad) / Math.max(1, maxY - minY);
  // stretch each axis to the box (a force layout has no meaningful aspect ratio)
  return pos.map((p) => ({ x: pad + (p.x - minX) * Math.min(sx, 3 * sy) + ((W - 2 * pad) - (maxX - minX) * Math.min(sx, 3 * sy)) / 2,
                           y: pad + (p.y - minY) * Math.min(sy, 3 * sx) + ((H - 2 * pad) - (maxY - minY) * Math.min(sy, 3 * sx)) / 2 }));
}

function mix(conflictShare) {      // blue (cooperation) to orange-red (conflict)
  const c1 = [43, 140, 190], c2 = [217, 72, 1];
  const c = c1.map((v, i) => Math.round(v + (c2[i] - v) * conflictShare));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function drawNetwork(box, net, state) {
  const W = 520, H = 470;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "actor network" });
  const pos = layout(net.nodes, net.edges, W, H);
  const where = new Map(net.nodes.map((n, i) => [n.id, pos[i]]));
  const maxEdge = Math.max(1, ...net.edges.map((e) => e.events));
  for (const edge of net.edges) {
    const p = where.get(edge.a), q = where.get(edge.b);
    const share = edge.events ? edge.conflict / edge.events : 0;
    chart.append(tip(svg("line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y, stroke: mix(share), "stroke-opacity": 0.75,
      "stroke-width": 1 + 5 * Math.sqrt(edge.events / maxEdge), class: "edge" }),
      `${edge.a} – ${edge.b}: ${edge.events} events (${edge.cooperation} cooperation, ${edge.conflict} conflict)` +
      (edge.mean_goldstein === null ? "" : `, mean Goldstein ${edge.mean_goldstein}`)));
  }
  const maxNode = Math.max(1, ...net.nodes.map((n) => n.events));
  const selected = new Set([state.a.toUpperCase(), state.b.toUpperCase()]);
  net.nodes.forEach((node, i) => {
    const p = pos[i];
    const r = 4 + 10 * Math.sqrt(node.events / maxNode);
    const share = node.events ? node.conflict / node.events : 0;
    const circle = svg("circle", { cx: p.x, cy: p.y, r, fill: mix(share), stroke: selected.has(node.id) ? "#000" : "#fff",
      "stroke-width": selected.has(node.id) ? 2.5 : 1.5, class: "node", "data-id": node.id,
      onclick: () => pickActor(node.id) });
    chart.append(tip(circle, `${node.label} (${node.id}): ${node.events} events, ${node.cooperation} cooperation, ${node.conflict} conflict`));
    if (i < 25) chart.append(svg("text", { x: p.x, y: p.y + r + 11, "text-anchor": "middle", "font-size": 10 }, node.label));
  });
  box.append(chart);
}

function pickActor(code) {
  const state = readState();
  if (!state.a || (state.a && state.b)) { state.a = code; state.b = ""; }
  else if (state.a.toUpperCase() !== code) state.b = code;
  state.offset = 0;
  writeState(state);
}

// ----- the map ------------------------------------------------------------------------------------------------------
async function loadMap(state, mine) {
  const params = filterParams(state);
  params.set("limit", "500");
  const [outline, found] = await Promise.all([world || api("/static/world.json"), api("/api/places", params)]);
  world = outline;
  if (mine !== generation) return;
  const box = clear($("map"));
  box.dataset.places = String(found.places.length);
  $("map-note").textContent = found.unplaced ? `(${found.unplaced} events without a place)` : "";
  drawMap(box, found.places, state);
}

function drawMap(box, places, state) {
  // Equirectangular: x = lon + 180, y = 90 - lat; framed on the events with a margin, else the world.
  let x0 = 0, y0 = 5, w = 360, h = 150;
  if (places.length) {
    const xs = places.map((p) => p.lon + 180), ys = places.map((p) => 90 - p.lat);
    const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
    w = Math.min(360, Math.max(70, (maxX - minX) * 1.5)); h = Math.min(150, Math.max(35, (maxY - minY) * 1.5));
    if (w / h > 2) h = w / 2; else w = h * 2;
    x0 = Math.max(0, Math.min(360 - w, (minX + maxX) / 2 - w / 2));
    y0 = Math.max(0, Math.min(180 - h, (minY + maxY) / 2 - h / 2));
  }
  const chart = svg("svg", { viewBox: `${x0.toFixed(2)} ${y0.toFixed(2)} ${w.toFixed(2)} ${h.toFixed(2)}`, role: "img", "aria-label": "map of events" });
  const px = w / Math.max(200, box.clientWidth || 460);   // one screen pixel in map units, whatever the zoom
  const active = new Set(places.map((p) => p.country));
  for (const country of world.countries) {
    let d = "";
    for (const ring of country.rings) {
      for (let k = 0; k < ring.length; k += 2) {
        d += `${k ? "L" : "M"}${(ring[k] + 180).toFixed(1)} ${(90 - ring[k + 1]).toFixed(1)}`;
      }
      d += "Z";
    }
    chart.append(tip(svg("path", { d, class: active.has(country.iso3) ? "country active" : "country",
      "stroke-width": 0.8 * px }), country.name || ""));
  }
  const max = Math.max(1, ...places.map((p) => p.events));
  for (const place of [...places].reverse()) {     // the busiest on top
    const share = place.events ? place.conflict / place.events : 0;
    const r = (3 + 11 * Math.sqrt(place.events / max)) * px;
    chart.append(tip(svg("circle", { cx: place.lon + 180, cy: 90 - place.lat, r, fill: mix(share), "fill-opacity": 0.75,
      stroke: "#fff", "stroke-width": 1 * px, class: "place", "data-name": place.name,
      onclick: () => { const s = readState(); s.place = place.name; s.offset = 0; writeState(s); } }),
      `${place.name}${place.country ? " (" + place.country + ")" : ""}: ${place.events} events, ${place.cooperation} cooperation, ${place.conflict} conflict`));
  }
  for (const place of places.slice(0, 8)) {
    const r = (3 + 11 * Math.sqrt(place.events / max)) * px;
    chart.append(svg("text", { x: place.lon + 180 + r + 2 * px, y: 90 - place.lat + 3.5 * px, "font-size": 10 * px,
      "stroke-width": 2.5 * px }, place.name));
  }
  box.append(chart);
}

// ----- start --------------------------------------------------------------------------------------------------------
async function start() {
  const form = $("filters");
  form.addEventListener("submit", (event) => { event.preventDefault(); writeState(formToState()); });
  $("reset").addEventListener("click", () => { location.hash = ""; });
  $("prev").addEventListener("click", () => { const s = readState(); s.offset = Math.max(0, s.offset - PAGE); writeState(s); });
  $("next").addEventListener("click", () => { const s = readState(); s.offset += PAGE; writeState(s); });
  window.addEventListener("hashchange", load);
  try {
    summary = await api("/api/summary");
    $("summary").textContent = `${summary.events} events (${summary.reports} reports) from ${summary.documents} documents` +
      (summary.first_date ? `, ${summary.first_date} to ${summary.last_date}` : "") +
      (summary.undated ? `; ${summary.undated} undated` : "");
    const roots = form.elements.namedItem("root");
    for (const root of summary.roots) roots.append(el("option", { value: root.code, text: `${root.code} ${root.name}` }));
    const chips = $("dyads");
    if (summary.top_dyads.length) chips.append(el("span", { class: "muted", text: "Busiest dyads:" }));
    for (const dyad of summary.top_dyads) {
      chips.append(el("button", { type: "button", class: "dyad", "data-a": dyad.a, "data-b": dyad.b,
        text: `${dyad.a} ⇄ ${dyad.b} (${dyad.events})`,
        onclick: () => { const s = readState(); s.a = dyad.a; s.b = dyad.b; s.both = "1"; s.offset = 0; writeState(s); } }));
    }
    const actors = await api("/api/actors", new URLSearchParams({ limit: "200" }));
    const list = $("actor-list");
    for (const actor of actors) list.append(el("option", { value: actor.code, text: actor.name ? `${actor.name} (${actor.events})` : `${actor.events}` }));
  } catch (error) {
    showError(error.message);
  }
  await load();
}

start();
