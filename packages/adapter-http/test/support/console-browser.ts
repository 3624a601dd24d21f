import { readFileSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { findExecutable } from './find-executable.js'

const require = createRequire(import.meta.url)

/** Debian's Chromium (CHROMIUM_BIN, else on the PATH, else /usr/bin/chromium); undefined when it is not installed. */
export const chromiumPath = (): string | undefined => findExecutable('chromium', 'CHROMIUM_BIN', '/usr/bin/chromium')

export const CHROMIUM_MISSING =
  'Chromium is not installed: apt-get install chromium (.ci/run does it), or set CHROMIUM_BIN'

export const launchChromium = (executablePath: string): Promise<Browser> =>
  chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })

/** The folder the screenshots of one run go to (printed by the test that writes them). */
export const screenshotFolder = (name: string): string => {
  const dir = process.env['CONSOLE_SCREENSHOTS'] ?? join(tmpdir(), `console-screenshots-${name}-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: number
}

/**
 * axe-core run in the page (evaluated through the DevTools protocol, which the page's CSP does not govern, so the
 * page keeps its real policy): the violations of impact serious or critical.
 */
export const seriousViolations = async (page: Page): Promise<readonly AxeViolation[]> => {
  await page.evaluate(AXE_SOURCE)
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }>
        }
      }
    ).axe
    const run = await axe.run((globalThis as unknown as { document: unknown }).document, {
      resultTypes: ['violations'],
    })
    return run.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }))
  })
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}
