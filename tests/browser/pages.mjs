// Opens the built portal in Debian's chromium (driven by playwright-core) at a phone and a
// desktop width, and checks what a visitor would notice: the page has its language and a
// heading, nothing overflows sideways, the skip link is the first thing the keyboard reaches.
// Screenshots are written for people to look at.
// Usage: node tests/browser/pages.mjs <site-dir> <screenshot-dir>
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveSite, launchChromium } from "./static-site.mjs";

const [siteDir, shotDir] = process.argv.slice(2);
const { server, base } = await serveSite(siteDir);
await mkdir(shotDir, { recursive: true });

const browser = await launchChromium();
const pages = [
  ["home", "/", "vi"],
  ["datasets", "/datasets/", "vi"],
  ["dataset", "/datasets/don-vi-hanh-chinh-cap-xa-2025/", "vi"],
  ["dataset-en", "/en/datasets/don-vi-hanh-chinh-cap-xa-2025/", "en"],
  ["publisher", "/publishers/so-noi-vu/", "vi"],
  ["terms", "/terms/", "vi"],
  ["notfound", "/khong-co/", "vi"],
];
const failures = [];
for (const [width, height, label] of [[360, 800, "phone"], [1280, 900, "desktop"]]) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  for (const [name, path, lang] of pages) {
    await page.goto(base + path);
    const facts = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      h1: document.querySelectorAll("h1").length,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    }));
    if (facts.lang !== lang) failures.push(`${path}: lang=${facts.lang}, expected ${lang}`);
    if (facts.h1 !== 1) failures.push(`${path}: ${facts.h1} <h1> elements`);
    if (facts.overflow > 1) failures.push(`${path} at ${width}px: page is ${facts.overflow}px wider than the screen`);
    await page.screenshot({ path: join(shotDir, `${name}-${label}.png`), fullPage: true });
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.getAttribute("href"));
    if (focused !== "#main") failures.push(`${path}: first Tab focuses ${focused}, expected the skip link #main`);
  }
  await ctx.close();
}
await browser.close();
server.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`checked ${pages.length} pages at 2 widths; screenshots in ${shotDir}`);
