import fs from "node:fs";

import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium; `.ci/run` installs it. */
export const CHROMIUM = "/usr/bin/chromium";

export const chromiumAvailable = fs.existsSync(CHROMIUM);

/** Flags for a quiet, offline headless Chromium: no sync, no update checks, no background traffic. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/**
 * `describe`, or `describe.skip` with a printed reason when this machine has no Chromium:
 * a browser test must never pass without having run.
 */
export function describeWithChromium(name: string, fn: () => void): void {
  if (chromiumAvailable) {
    describe(name, fn);
    return;
  }
  process.stdout.write(`SKIPPED "${name}": ${CHROMIUM} is not installed (run .ci/run, or apt-get install -y chromium)\n`);
  describe.skip(name, fn);
}
