// Opens unisono's HTML report in headless Chromium and checks it as a person would see it:
// the matrix has the cells the JSON report implies, clicking a cell shows its findings, filters
// narrow the page, and nothing is written to the console as an error. Takes a screenshot.
//
//   node report.mjs REPORT.html REPORT.json SCREENSHOT.png
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); playwright-core only drives it.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [htmlPath, jsonPath, screenshotPath] = process.argv.slice(2);
if (!htmlPath || !jsonPath || !screenshotPath) {
  console.error("usage: node report.mjs REPORT.html REPORT.json SCREENSHOT.png");
  process.exit(2);
}

const SEVERITIES = ["error", "warning", "info"];
const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
}

// What the JSON report implies: per (product, channel), the worst severity and how many findings.
const report = JSON.parse(readFileSync(jsonPath, "utf8"));
const expected = new Map();
for (const f of report.findings) {
  const key = (f.sku ?? "(no product)") + "\u0000" + f.channel;
  const cell = expected.get(key) ?? { worst: 3, count: 0 };
  cell.worst = Math.min(cell.worst, SEVERITIES.indexOf(f.severity));
  cell.count += 1;
  expected.set(key, cell);
}
const products = new Set(report.findings.map((f) => f.sku ?? "(no product)"));
const channels = [...new Set(report.findings.map((f) => f.channel))].sort();

// A fresh profile each run (Chromium's --user-data-dir, which playwright passes for a persistent
// context), removed at the end.
const profile = mkdtempSync(join(tmpdir(), "unisono-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 1280, height: 1000 },
  timeout: 60_000,
});
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  const consoleErrors = [];
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  // The page must need nothing from the network: any request but the file itself is a failure.
  const requests = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });

  const started = Date.now();
  await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: "load", timeout: 120_000 });
  await page.waitForSelector("#matrix tbody tr", { timeout: 120_000 });
  // Reported, not asserted: how long until the matrix is drawn (depends on the machine).
  console.log(`page drawn in ${Date.now() - started} ms`);

  // The matrix: its header is the report's channels; a row per product (up to a page of 50).
  const header = await page.$$eval("#matrix thead th", (ths) => ths.map((t) => t.textContent));
  check(JSON.stringify(header) === JSON.stringify(["Product", ...channels]),
    `matrix header ${JSON.stringify(header)}, expected Product + ${JSON.stringify(channels)}`);
  const cells = await page.$$eval("#matrix tbody tr", (rows) => rows.map((tr) => ({
    product: tr.querySelector("th[scope=row]").textContent,
    cells: [...tr.querySelectorAll("td")].map((td) => {
      const b = td.querySelector("button.cell");
      return b ? { label: b.textContent, classes: b.className, channel: b.dataset.channel } : null;
    }),
  })));
  check(cells.length === Math.min(products.size, 50), `${cells.length} matrix rows, expected ${products.size}`);
  let seen = 0;
  for (const row of cells) {
    row.cells.forEach((cell, i) => {
      const want = expected.get(row.product + "\u0000" + channels[i]);
      if (!want) {
        check(cell === null, `${row.product} on ${channels[i]}: a cell where the report has no finding`);
        return;
      }
      seen += 1;
      const sev = SEVERITIES[want.worst];
      check(cell !== null, `${row.product} on ${channels[i]}: no cell, expected ${sev} · ${want.count}`);
      if (cell === null) return;
      // Colour and text: the class colours it, the label says it.
      check(cell.label === `${sev} · ${want.count}`, `${row.product} on ${channels[i]}: "${cell.label}", expected "${sev} · ${want.count}"`);
      check(cell.classes.includes(`sev-${sev}`), `${row.product} on ${channels[i]}: class ${cell.classes}`);
    });
  }
  check(seen === expected.size || products.size > 50, `${seen} cells drawn, the report implies ${expected.size}`);

  // Colour differs by severity (not only the text).
  const colours = await page.$$eval("#matrix button.cell", (bs) =>
    [...new Set(bs.map((b) => b.className.match(/sev-\w+/)[0] + "=" + getComputedStyle(b).backgroundColor))]);
  check(new Set(colours.map((c) => c.split("=")[1])).size === new Set(colours.map((c) => c.split("=")[0])).size,
    `each severity has its own colour: ${colours}`);

  // Clicking a cell shows its findings: the first cell with the most findings.
  const [bestKey, best] = [...expected.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))[0];
  const [product, channel] = bestKey.split("\u0000");
  await page.click(`#matrix button.cell[data-product="${product}"][data-channel="${channel}"]`);
  await page.waitForSelector("#selection:not([hidden])");
  const heading = await page.textContent("#selection-h");
  check(heading === `${product} on ${channel}: ${best.count} finding${best.count === 1 ? "" : "s"}`, `selection heading "${heading}"`);
  const shown = await page.$$eval("#selection-list > li.finding", (lis) => lis.map((li) => li.querySelector("code").textContent));
  const want = report.findings.filter((f) => (f.sku ?? "(no product)") === product && f.channel === channel).map((f) => f.rule);
  check(JSON.stringify(shown) === JSON.stringify(want), `selected findings ${JSON.stringify(shown)}, expected ${JSON.stringify(want)}`);
  check(await page.$eval("#selection-h", (h) => document.activeElement === h), "the selection's heading has the focus");
  // The whole page, a cell chosen: what a person sees after the first click.
  await page.screenshot({ path: screenshotPath, fullPage: true });

  // Filters: one severity only; every cell left shows it.
  await page.selectOption("#f-severity", "0");
  const labels = await page.$$eval("#matrix button.cell", (bs) => bs.map((b) => b.textContent));
  check(labels.length > 0 && labels.every((l) => l.startsWith("error")), `after the error filter: ${labels}`);
  const errors = report.findings.filter((f) => f.severity === "error").length;
  const status = await page.textContent("#filter-status");
  check(status.startsWith(`${errors} of ${report.findings.length} findings`), `filter status "${status}"`);

  // Findings by product: a strip per product drawn, and explanations.
  await page.selectOption("#f-severity", "");
  const strips = await page.$$eval("#product-list svg.strip", (s) => s.length);
  const articles = await page.$$eval("#product-list article.product", (a) => a.length);
  check(articles === Math.min(products.size, 20), `${articles} products listed`);
  console.log(`matrix: ${cells.length} rows, ${seen} cells; products listed: ${articles}, strips: ${strips}`);

  check(consoleErrors.length === 0, `console errors: ${consoleErrors.join(" | ")}`);
  check(requests.length === 0, `network requests: ${requests.join(", ")}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}

if (failures.length > 0) {
  for (const f of failures) console.error("FAIL: " + f);
  process.exit(1);
}
console.log("ok: the report page shows what the JSON report says");
