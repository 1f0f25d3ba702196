"use strict";
// Draws the matrix and the findings from the report's data, a page at a time. Every text of the
// report goes in as text (textContent), never as markup; the strips are SVG made and escaped by
// unisono itself.
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const S = data.strings;
  const SEVERITIES = ["error", "warning", "info"];
  const MATRIX_ROWS = 50, PRODUCTS_PER_PAGE = 20;
  const state = { rule: "", severity: "", channel: "", text: "", matrixPage: 0, productsPage: 0, cell: null };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }
  const str = (i) => (i >= 0 ? S[i] : null);
  const product = (p) => (data.products[p] === null ? "(no product)" : data.products[p]);
  const badge = (sev) => el("span", { class: "badge sev-" + SEVERITIES[sev] }, SEVERITIES[sev]);

  function matches(f) {
    if (state.rule !== "" && f[0] !== +state.rule) return false;
    if (state.severity !== "" && f[1] !== +state.severity) return false;
    if (state.channel !== "" && f[3] !== +state.channel) return false;
    if (state.text !== "") {
      const t = state.text.toLowerCase();
      const ids = f[4].map((i) => S[i].toLowerCase());
      if (!product(f[2]).toLowerCase().includes(t) && !ids.some((id) => id.includes(t))) return false;
    }
    return true;
  }

  function safeLink(text) {
    // Only web addresses become links: a javascript: or data: address in a report stays text.
    return typeof text === "string" && /^https?:\/\//i.test(text)
      ? el("a", { href: text, rel: "noopener noreferrer" }, text) : text;
  }

  function evidenceOf(ev) {
    const list = Array.isArray(ev) ? ev : [ev];
    const out = el("ul", { class: "evidence" });
    list.forEach((e, i) => {
      if (!e || typeof e !== "object") return;
      const li = el("li", {});
      if (list.length > 1) li.append("rendering " + (i + 1) + ": ");
      for (const key of ["url", "fetched_at", "sha256", "screenshot"]) {
        if (typeof e[key] === "string") li.append(key.replace("_", " ") + " ", safeLink(e[key]), " ");
      }
      out.append(li);
    });
    return out;
  }

  function findingItem(f) {
    const li = el("li", { class: "finding" });
    li.append(el("p", {}, badge(f[1]), " ", el("code", {}, data.rules[f[0]]), " ", S[f[10]]));
    const dl = el("dl", {});
    const row = (term, value) => { if (value !== null && value !== undefined && value !== "") dl.append(el("dt", {}, term), el("dd", {}, value)); };
    row(f[4].length > 1 ? "renderings" : "rendering", f[4].map((i) => S[i]).join(", "));
    row("channel", data.channels[f[3]]);
    row("product", product(f[2]));
    row("claim", f[5] >= 0 ? String(f[5]) : null);
    row("source", str(f[6]));
    row("at", str(f[7]));
    row("expected", str(f[8]));
    row("found", str(f[9]));
    row("first seen", str(f[13]));
    row("fingerprint", f[12]);
    li.append(dl);
    if (f[11].length > 0) {
      li.append(el("p", { class: "note" }, "Why the catalog expects this:"));
      li.append(el("ul", {}, ...f[11].map((i) => el("li", {}, S[i]))));
    }
    if (f[14] !== null) {
      li.append(el("p", { class: "note" }, "Evidence:"), evidenceOf(f[14]));
    }
    return li;
  }

  function pager(nav, page, pages, onPage) {
    nav.replaceChildren();
    if (pages <= 1) return;
    const prev = el("button", { type: "button" }, "Previous");
    prev.disabled = page === 0;
    prev.addEventListener("click", () => onPage(page - 1));
    const next = el("button", { type: "button" }, "Next");
    next.disabled = page >= pages - 1;
    next.addEventListener("click", () => onPage(page + 1));
    nav.append(prev, el("span", {}, "Page " + (page + 1) + " of " + pages), next);
  }

  // Per product: its findings (indices into data.findings) under the filters, and per channel the
  // worst severity and the count.
  function groups(filtered) {
    const byProduct = new Map();
    for (const i of filtered) {
      const f = data.findings[i];
      let g = byProduct.get(f[2]);
      if (!g) { g = { product: f[2], worst: 3, count: 0, findings: [], cells: new Map() }; byProduct.set(f[2], g); }
      g.worst = Math.min(g.worst, f[1]);
      g.count += 1;
      g.findings.push(i);
      let c = g.cells.get(f[3]);
      if (!c) { c = { worst: 3, count: 0 }; g.cells.set(f[3], c); }
      c.worst = Math.min(c.worst, f[1]);
      c.count += 1;
    }
    // data.products is already in the page's order (most severe, most findings, SKU).
    return [...byProduct.values()].sort((a, b) => a.worst - b.worst || b.count - a.count || a.product - b.product);
  }

  function drawMatrix(list) {
    const body = document.querySelector("#matrix tbody");
    const pages = Math.max(1, Math.ceil(list.length / MATRIX_ROWS));
    state.matrixPage = Math.min(state.matrixPage, pages - 1);
    pager(document.getElementById("matrix-pager"), state.matrixPage, pages, (p) => { state.matrixPage = p; drawMatrix(list); });
    const rows = list.slice(state.matrixPage * MATRIX_ROWS, (state.matrixPage + 1) * MATRIX_ROWS).map((g) => {
      const tr = el("tr", {}, el("th", { scope: "row" }, product(g.product)));
      data.channels.forEach((channel, ci) => {
        const c = g.cells.get(ci);
        if (!c) {
          tr.append(el("td", { class: "none" }, el("span", { "aria-hidden": "true" }, "–"), el("span", { class: "sr-only" }, "no finding")));
          return;
        }
        const sev = SEVERITIES[c.worst];
        const selected = state.cell && state.cell[0] === g.product && state.cell[1] === ci;
        const button = el("button", {
          type: "button", class: "cell sev-" + sev, "data-product": product(g.product), "data-channel": channel,
          "aria-pressed": selected ? "true" : "false",
          "aria-label": product(g.product) + " on " + channel + ": " + c.count + " finding" + (c.count === 1 ? "" : "s") + ", worst " + sev,
        }, sev + " · " + c.count);
        button.addEventListener("click", () => select(g.product, ci, true));
        tr.append(el("td", {}, button));
      });
      return tr;
    });
    body.replaceChildren(...rows);
  }

  function drawProducts(list) {
    const pages = Math.max(1, Math.ceil(list.length / PRODUCTS_PER_PAGE));
    state.productsPage = Math.min(state.productsPage, pages - 1);
    pager(document.getElementById("products-pager"), state.productsPage, pages, (p) => { state.productsPage = p; drawProducts(list); });
    const articles = list.slice(state.productsPage * PRODUCTS_PER_PAGE, (state.productsPage + 1) * PRODUCTS_PER_PAGE).map((g) => {
      const heading = el("h3", {}, product(g.product));
      const title = data.titles[g.product];
      if (title) heading.append(" ", el("span", { class: "title" }, "— " + title));
      const article = el("article", { class: "product", "data-product": product(g.product) }, heading);
      const svg = data.strips[g.product];
      if (typeof svg === "string") {
        const figure = el("figure", { class: "strip" });
        figure.innerHTML = svg; // made and escaped by unisono
        article.append(figure);
      } else if (data.strips.length > 0 && g.product >= data.maxStrips) {
        article.append(el("p", { class: "note" }, "No timeline: only the first " + data.maxStrips + " products get one."));
      }
      article.append(el("ol", { class: "findings" }, ...g.findings.map((i) => findingItem(data.findings[i]))));
      return article;
    });
    document.getElementById("product-list").replaceChildren(...articles);
  }

  function select(p, ci, focus) {
    state.cell = [p, ci];
    const section = document.getElementById("selection");
    const items = [];
    data.findings.forEach((f, i) => { if (f[2] === p && f[3] === ci && matches(f)) items.push(data.findings[i]); });
    const heading = document.getElementById("selection-h");
    heading.textContent = product(p) + " on " + data.channels[ci] + ": " + items.length + " finding" + (items.length === 1 ? "" : "s");
    document.getElementById("selection-list").replaceChildren(...items.map(findingItem));
    section.hidden = false;
    for (const b of document.querySelectorAll("#matrix button.cell")) {
      b.setAttribute("aria-pressed", b.dataset.product === product(p) && b.dataset.channel === data.channels[ci] ? "true" : "false");
    }
    if (focus) heading.focus();
  }

  function draw() {
    const filtered = [];
    data.findings.forEach((f, i) => { if (matches(f)) filtered.push(i); });
    const list = groups(filtered);
    document.getElementById("filter-status").textContent =
      filtered.length + " of " + data.findings.length + " findings, " + list.length + " products";
    drawMatrix(list);
    drawProducts(list);
    if (state.cell) select(state.cell[0], state.cell[1], false);
  }

  const form = document.getElementById("filter-form");
  for (const [id, key] of [["f-rule", "rule"], ["f-severity", "severity"], ["f-channel", "channel"], ["f-text", "text"]]) {
    document.getElementById(id).addEventListener("input", (e) => { state[key] = e.target.value.trim(); state.matrixPage = 0; state.productsPage = 0; draw(); });
  }
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("reset", () => { Object.assign(state, { rule: "", severity: "", channel: "", text: "", matrixPage: 0, productsPage: 0 }); setTimeout(draw, 0); });
  draw();
})();
