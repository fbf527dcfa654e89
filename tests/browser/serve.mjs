// `odp serve` in Debian's chromium (driven by playwright-core), as an editor uses it (issue 7):
// open a dataset page, change the dataset's title on disk → the page reloads itself and shows
// it; break dataset.toml → the error overlay appears with the path:line:col message; fix it →
// the overlay goes. The page is never reloaded by the test: only the server's reload signal.
// Pages reload only when the edit changed them: the listing reloads too (later: portal-wide
// jobs run after the dataset's own), another dataset's page does not.
// Usage: node tests/browser/serve.mjs <odp-binary> <work-dir>
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { cp, readFile, writeFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";

const [odp, workDir] = process.argv.slice(2);
const repo = resolve(workDir, "serve-portal");
await rm(repo, { recursive: true, force: true });
await cp("tests/fixtures/serve", repo, { recursive: true });
const theme = resolve("themes/default");

const server = spawn(odp, ["--root", repo, "serve", "--port", "0", "--theme", theme], { stdio: ["ignore", "pipe", "pipe"] });
let stderr = "";
server.stderr.on("data", (d) => (stderr += d));
const base = await new Promise((ok, fail) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/^serving (http:\/\/\S+)$/m);
    if (m) ok(m[1]);
  });
  server.on("exit", (code) => fail(new Error(`odp serve exited with ${code}: ${stderr}`)));
});

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const failures = [];
const page = await browser.newPage();

// Polls a condition in the page across the page's own reloads (evaluate fails mid-navigation).
async function until(what, fn, arg) {
  const end = Date.now() + 15000;
  while (Date.now() < end) {
    try {
      if (await page.evaluate(fn, arg)) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for: ${what}\n${stderr}`);
}
const h1 = () => document.querySelector("h1")?.textContent.trim();
const overlay = () => document.getElementById("odp-overlay")?.textContent ?? null;

try {
  const toml = join(repo, "datasets/truong-hoc/dataset.toml");
  const good = await readFile(toml, "utf8");
  await page.goto(base + "datasets/truong-hoc/");
  const before = await page.evaluate(h1);
  if (before !== "Danh sách trường trung học phổ thông") failures.push(`h1 before: ${before}`);
  // No wait for the event stream: a page whose stream connects after a build learns of it
  // from the server's first message (the build generation) and reloads all the same.

  const listing = await browser.newPage();
  await listing.goto(base + "datasets/");
  const other = await browser.newPage();
  await other.goto(base + "datasets/tinh/");
  await other.evaluate(() => (window.__notReloaded = true));
  await page.bringToFront();

  let t = Date.now();
  await writeFile(toml, good.replace("Danh sách trường", "Các trường"));
  await until("new title after save", (want) => document.querySelector("h1")?.textContent.trim() === want,
    "Các trường trung học phổ thông");
  const titleMs = Date.now() - t;
  const listingEnd = Date.now() + 15000;
  while (!(await listing.evaluate(() => document.body.textContent.includes("Các trường trung học phổ thông")).catch(() => false))) {
    if (Date.now() > listingEnd) throw new Error(`the listing never showed the new title\n${stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  // Both reload signals have reached every page by now (the listing's was the last one).
  if ((await other.evaluate(() => window.__notReloaded)) !== true) failures.push("another dataset's page reloaded");
  await listing.close();
  await other.close();

  t = Date.now();
  await writeFile(toml, good.replace('frequency = "annual"', "frequency = <annual>"));
  await until("error overlay", () => document.getElementById("odp-overlay") !== null);
  const shown = await page.evaluate(overlay);
  const want = "datasets/truong-hoc/dataset.toml:7:13: error[E0101]: lỗi cú pháp TOML";
  if (!shown.includes(want)) failures.push(`overlay says:\n${shown}\nexpected it to include: ${want}`);
  if ((await page.evaluate(h1)) !== "Các trường trung học phổ thông") failures.push("the last good page is not under the overlay");
  const overlayMs = Date.now() - t;
  await page.screenshot({ path: join(workDir, "serve-overlay.png") });

  t = Date.now();
  await writeFile(toml, good);
  await until("overlay gone", () => document.getElementById("odp-overlay") === null);
  const fixed = await page.evaluate(h1);
  if (fixed !== "Danh sách trường trung học phổ thông") failures.push(`h1 after the fix: ${fixed}`);
  const fixMs = Date.now() - t;
  await page.screenshot({ path: join(workDir, "serve-fixed.png") });
  console.log(`save → page shows it: title ${titleMs} ms, overlay ${overlayMs} ms, fixed ${fixMs} ms`);
} catch (e) {
  failures.push(String(e));
} finally {
  await browser.close();
  server.kill();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log("odp serve: reload on save, error overlay and its removal checked in chromium");
