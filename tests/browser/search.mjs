// Search in a real browser (issue 4): Debian chromium driven by playwright-core on the built
// demo portal. Typing shows the expected datasets first, with a count announced in an
// aria-live region; a facet narrows the list; the URL carries the state; back and reload
// restore it; it all works from the keyboard; without JavaScript the full list stays; the
// header's box on every page leads here. Also prints the bytes of index files each query
// fetched (a fresh browser per query). Screenshots are written for people to look at.
// Usage: node tests/browser/search.mjs <site-dir> <screenshot-dir>
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serveSite, launchChromium } from "./static-site.mjs";

const [siteDir, shotDir] = process.argv.slice(2);
const { server, base } = await serveSite(siteDir);
await mkdir(shotDir, { recursive: true });
const browser = await launchChromium();
const failures = [];
const expect = (cond, msg) => { if (!cond) failures.push(msg); };

// the dataset ids of the results on screen, in order
const ids = (page) => page.$$eval("#search-results .dataset-title a", (as) => as.map((a) => a.getAttribute("href").split("/").filter(Boolean).pop()));
const status = (page) => page.textContent("#search-status");
// results have settled when the status names a count and the list has that many (≤ 20) items
async function settled(page, text) {
  await page.waitForFunction((t) => {
    const s = document.querySelector("#search-status").textContent;
    return s.includes(t);
  }, text, { timeout: 10000 }).catch(() => {});
}

const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
const fetched = new Map();
page.on("response", async (r) => {
  const u = new URL(r.url());
  if (u.pathname.startsWith("/search/") && !u.pathname.endsWith("/")) {
    fetched.set(u.pathname, (await r.body()).length);
  }
});

// 1. keyboard only: Tab from the top of the page to the search box, type, results appear
await page.goto(base + "/search/");
let tabs = 0;
while (tabs < 40 && (await page.evaluate(() => document.activeElement?.id)) !== "search-q") {
  await page.keyboard.press("Tab");
  tabs++;
}
expect(tabs < 40, "the search box cannot be reached with Tab");
await page.keyboard.type("ha noi");
await settled(page, "Tìm thấy 1 bộ dữ liệu");
expect((await status(page)) === "Tìm thấy 1 bộ dữ liệu", `"ha noi": status "${await status(page)}"`);
expect((await ids(page))[0] === "don-vi-hanh-chinh-cap-tinh-2025", `"ha noi": results ${await ids(page)}`);
await page.waitForURL(/\?q=ha\+noi$/, { timeout: 5000 }).catch(() => expect(false, `URL after typing: ${page.url()}`));
expect(await page.getAttribute("#search-status", "aria-live") === "polite", "status is not aria-live");
expect(await page.isHidden("#results"), "the full list is still shown beside the results");

// 2. more queries, typed the way citizens type
const cases = [
  ["hanoi", "don-vi-hanh-chinh-cap-tinh-2025"],
  ["Sóc Trăng", "don-vi-hanh-chinh-cap-tinh-truoc-sap-xep-2025"],
  ["phuong", "don-vi-hanh-chinh-cap-xa-2025"],
  ["PHƯỜNG", "don-vi-hanh-chinh-cap-xa-2025"],
  ["cap xa truoc sap xep", "don-vi-hanh-chinh-cap-xa-truoc-sap-xep-2025"],
  ["chuyen doi ma tinh", "chuyen-doi-don-vi-hanh-chinh-cap-tinh-2025"],
  ["dich vu api", "dich-vu-du-lieu-don-vi-hanh-chinh"],
];
for (const [q, first] of cases) {
  await page.fill("#search-q", "");
  await page.type("#search-q", q);
  await page.waitForFunction((f) => {
    const a = document.querySelector("#search-results .dataset-title a");
    return a && a.getAttribute("href").includes(`/${f}/`);
  }, first, { timeout: 10000 }).catch(() => {});
  const got = await ids(page);
  expect(got[0] === first, `"${q}": first result ${got[0]}, expected ${first} (all: ${got.join(", ")})`);
}
// unfinished word: "phuo" already finds "phường"
await page.fill("#search-q", "");
await page.type("#search-q", "phuo");
await page.waitForURL(/\?q=phuo$/, { timeout: 5000 }).catch(() => {});
await page.waitForFunction(() => [...document.querySelectorAll("#search-results a")].some((a) => a.href.includes("/don-vi-hanh-chinh-cap-xa-2025/")), null, { timeout: 10000 }).catch(() => {});
expect((await ids(page)).includes("don-vi-hanh-chinh-cap-xa-2025"), `"phuo" (typing): ${await ids(page)}`);

// 3. a facet narrows, the URL follows, back and reload restore
await page.fill("#search-q", "");
await page.type("#search-q", "don vi hanh chinh");
await settled(page, "Tìm thấy 8 bộ dữ liệu");
expect((await status(page)) === "Tìm thấy 8 bộ dữ liệu", `"don vi hanh chinh": ${await status(page)}`);
await page.screenshot({ path: join(shotDir, "search-desktop.png"), fullPage: true });
const box = page.locator('#search-facets input[data-facet="theme"][value="dia-ly"]');
const boxId = await box.getAttribute("id");
await page.focus(`#${boxId}`);
await page.keyboard.press("Space");
await page.waitForURL(/theme=dia-ly/, { timeout: 5000 }).catch(() => expect(false, `URL after facet: ${page.url()}`));
await page.waitForFunction(() => !/ 8 /.test(document.querySelector("#search-status").textContent), null, { timeout: 10000 }).catch(() => {});
const narrowed = await ids(page);
expect(narrowed.length > 0 && narrowed.length < 8, `facet theme=dia-ly: ${narrowed.length} results`);
expect(await page.isChecked(`#${boxId}`), "the facet box is not checked after the click");
expect(page.url().endsWith("/search/?q=don+vi+hanh+chinh&theme=dia-ly"), `URL ${page.url()}`);
await page.reload();
await page.waitForFunction((n) => document.querySelectorAll("#search-results li").length === n, narrowed.length, { timeout: 10000 }).catch(() => {});
expect((await page.inputValue("#search-q")) === "don vi hanh chinh", "reload lost the query");
expect(JSON.stringify(await ids(page)) === JSON.stringify(narrowed), `reload: ${await ids(page)} vs ${narrowed}`);
expect(await page.isChecked('#search-facets input[data-facet="theme"][value="dia-ly"]'), "reload lost the facet");
await page.goBack();
await settled(page, "Tìm thấy 8 bộ dữ liệu");
expect((await status(page)) === "Tìm thấy 8 bộ dữ liệu", `back: ${await status(page)}`);
expect(!page.url().includes("theme="), `back: URL ${page.url()}`);

// 4. the header box of any page leads to the results
await page.goto(base + "/datasets/");
await page.fill("#site-search-q", "hanoi");
await page.press("#site-search-q", "Enter");
await page.waitForURL(/\/search\/\?q=hanoi$/, { timeout: 5000 }).catch(() => expect(false, `header search went to ${page.url()}`));
await settled(page, "Tìm thấy 1 bộ dữ liệu");
expect((await ids(page))[0] === "don-vi-hanh-chinh-cap-tinh-2025", `header search: ${await ids(page)}`);

// 5. English page
await page.goto(base + "/en/search/?q=commune");
await page.waitForFunction(() => /found/.test(document.querySelector("#search-status").textContent), null, { timeout: 10000 }).catch(() => {});
expect(/^\d+ datasets? found$/.test(await status(page)), `en status: ${await status(page)}`);
const enHref = await page.getAttribute("#search-results .dataset-title a", "href");
expect(enHref?.startsWith("/en/datasets/"), `en result link ${enHref}`);

// 6. phone width: no sideways overflow, screenshot
const phone = await browser.newContext({ viewport: { width: 360, height: 800 } });
const pp = await phone.newPage();
await pp.goto(base + "/search/?q=phuong&format=CSV");
await pp.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0, null, { timeout: 10000 }).catch(() => {});
const overflow = await pp.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
expect(overflow <= 1, `search at 360px overflows by ${overflow}px`);
await pp.screenshot({ path: join(shotDir, "search-phone.png"), fullPage: true });
await phone.close();

// 7. without JavaScript: the full list
const nojs = await browser.newContext({ javaScriptEnabled: false });
const np = await nojs.newPage();
await np.goto(base + "/search/?q=ha+noi");
const all = await np.$$eval("#results .dataset-item", (l) => l.length);
expect(all === 8 && (await np.isHidden("#search-app")), `without JavaScript: ${all} datasets listed`);
await nojs.close();

// 8. bytes fetched per query by a first-time visitor (index files only)
for (const q of ["ha noi", "phuong", "don vi hanh chinh"]) {
  const c = await browser.newContext();
  const p = await c.newPage();
  const sizes = new Map();
  p.on("response", async (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/search/") && u.pathname !== "/search/") sizes.set(u.pathname, (await r.body()).length);
  });
  await p.goto(base + "/search/?q=" + encodeURIComponent(q));
  await p.waitForFunction(() => /Tìm thấy|Không/.test(document.querySelector("#search-status").textContent), null, { timeout: 10000 });
  await p.waitForLoadState("networkidle");
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  console.log(`"${q}": ${sizes.size} index files, ${total} bytes`);
  await c.close();
}

await ctx.close();
await browser.close();
server.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log("search: all checks passed");
