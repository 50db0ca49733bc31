/**
 * Debian's Chromium for the browser tests, driven by playwright-core (which downloads no browser):
 * where it is, and the flags that keep it from reaching out to the network (this machine's closed
 * network refuses those connections, and CI's too).
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium started, or an error that says how to install it (the browser tests are never skipped). */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new Error(`Chromium could not be started from ${CHROMIUM} (Debian package chromium; .ci/run installs it): ${String(err)}`);
  }
}
