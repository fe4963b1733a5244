import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = join(import.meta.dirname, "../../artifacts");
export const WIDE = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Errors the page threw or logged: a test fails on any. */
  errors: string[];
  /** Saves `<name>-1280.png` and `<name>-390.png` (or the widths given) under artifacts/. */
  screenshots(
    name: string,
    sizes?: Array<{ width: number; height: number }>,
    prepare?: () => Promise<unknown>,
  ): Promise<void>;
  close(): Promise<void>;
}

/** Debian's Chromium (CHROMIUM_PATH), headless with the flags the tests need, on the given profile folder. */
export function launchChromium(
  profileDir: string,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport,
    colorScheme: "light",
  });
}

/** Debian's Chromium, headless, through playwright-core, with a profile of its own. */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "bridge-chromium-"));
  const context = await launchChromium(profile, WIDE);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return {
    context,
    page,
    errors,
    async screenshots(name, sizes = [WIDE, PHONE], prepare) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const before = page.viewportSize() ?? WIDE;
      for (const size of sizes) {
        await page.setViewportSize(size);
        await prepare?.();
        await page.evaluate(() => document.getElementById("toasts")?.replaceChildren());
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${size.width}.png`) });
      }
      await page.setViewportSize(before);
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
