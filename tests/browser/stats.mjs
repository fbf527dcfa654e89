// Issue 6: opens /stats/ (and the English page) of a built portal in Debian's chromium and checks
// that the charts render without JavaScript: every chart is an <svg role="img"> named by its
// <title> and described by its <desc>, has drawn bars, sits next to a data table, and nothing
// overflows sideways at phone and desktop widths. Screenshots are written for people to look at.
// Usage: node tests/browser/stats.mjs <site-dir> <screenshot-dir>
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveSite, launchChromium } from "./static-site.mjs";

const [siteDir, shotDir] = process.argv.slice(2);
const { server, base } = await serveSite(siteDir);
await mkdir(shotDir, { recursive: true });

const browser = await launchChromium();
const failures = [];
let charts = 0;
for (const [width, height, label] of [[360, 800, "phone"], [1280, 900, "desktop"]]) {
  // No JavaScript at all: the charts are drawn by the build.
  const ctx = await browser.newContext({ viewport: { width, height }, javaScriptEnabled: false });
  const page = await ctx.newPage();
  for (const [name, path] of [["stats", "/stats/"], ["stats-en", "/en/stats/"]]) {
    const resp = await page.goto(base + path);
    if (resp.status() !== 200) failures.push(`${path}: HTTP ${resp.status()}`);
    const svgs = page.locator("svg.chart");
    const n = await svgs.count();
    if (n < 2) failures.push(`${path}: ${n} charts, expected the on-time chart and one per agency`);
    for (let i = 0; i < n; i++) {
      const svg = svgs.nth(i);
      const role = await svg.getAttribute("role");
      const labelledby = (await svg.getAttribute("aria-labelledby")) ?? "";
      const title = await svg.locator("title").textContent();
      const desc = await svg.locator("desc").textContent();
      const box = await svg.boundingBox();
      const bars = await svg.locator("rect.chart-bar").count();
      if (role !== "img") failures.push(`${path} chart ${i}: role=${role}`);
      if (labelledby.split(" ").length !== 2) failures.push(`${path} chart ${i}: aria-labelledby=${labelledby}`);
      if (!title?.trim() || !desc?.trim()) failures.push(`${path} chart ${i}: empty title or desc`);
      if (!box || box.width < 100 || box.height < 20) failures.push(`${path} chart ${i}: drawn ${JSON.stringify(box)}`);
      if (bars < 1) failures.push(`${path} chart ${i}: no bars`);
      if (box && box.x + box.width > width + 1) failures.push(`${path} chart ${i} at ${width}px: sticks out`);
      charts++;
    }
    const tables = await page.locator("table.stats-table").count();
    if (tables !== 2) failures.push(`${path}: ${tables} data tables beside the charts, expected 2`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 1) failures.push(`${path} at ${width}px: page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: join(shotDir, `${name}-${label}.png`), fullPage: true });
  }
  await ctx.close();
}
await browser.close();
server.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`checked ${charts} charts on /stats/ (vi, en) at 2 widths, no JavaScript; screenshots in ${shotDir}`);
