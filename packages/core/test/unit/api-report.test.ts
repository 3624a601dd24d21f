import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import { createPatch } from 'diff'
import { Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorMessage } from '@microsoft/api-extractor'

/*
 * core's stable API (README, "Stable API") is what `src/index.ts` exports; `api/core.api.md` is its report, made by
 * API Extractor from the `.d.ts` that `tsc -b` wrote. This test makes the report again, into a temporary folder, and
 * fails with the difference when the stable API changed and the report was not updated (`npm run api:update`), so
 * that every change of the API shows in review as a change of that file.
 */

/** The package folder, from dist-test/unit/ where this file runs. */
const CORE = fileURLToPath(new URL('../../', import.meta.url))
const UPDATE = 'the stable API changed: run `npm run api:update` and commit packages/core/api/core.api.md'

interface Extracted {
  readonly report: string
  readonly problems: readonly string[]
}

/** The report as API Extractor makes it now from dist/index.d.ts, and what it found wrong (a forgotten export). */
const extract = (): Extracted => {
  const temp = mkdtempSync(join(tmpdir(), 'core-api-'))
  try {
    const configObjectFullPath = join(CORE, 'api-extractor.json')
    const configObject = ExtractorConfig.loadFile(configObjectFullPath)
    const apiReport = configObject.apiReport
    if (apiReport === undefined) throw new Error('api-extractor.json has no apiReport')
    const config = ExtractorConfig.prepare({
      configObject: { ...configObject, apiReport: { ...apiReport, reportTempFolder: temp } },
      configObjectFullPath,
      packageJsonFullPath: join(CORE, 'package.json'),
    })
    const problems: string[] = []
    const result = Extractor.invoke(config, {
      localBuild: false,
      messageCallback: (message: ExtractorMessage) => {
        if (message.logLevel === ExtractorLogLevel.Error) problems.push(message.formatMessageWithLocation(CORE))
        message.handled = true
      },
    })
    if (result.errorCount > problems.length) problems.push(`${result.errorCount} errors`)
    return { report: readFileSync(join(temp, 'core.api.md'), 'utf8'), problems }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

describe("core's API report (api/core.api.md)", () => {
  it('is the stable API as src/index.ts exports it now', function () {
    this.timeout(120_000)
    const { report, problems } = extract()
    expect(problems, 'API Extractor found problems in the stable API').to.deep.equal([])
    const checkedIn = readFileSync(join(CORE, 'api', 'core.api.md'), 'utf8')
    if (report === checkedIn) return
    expect.fail(`${UPDATE}\n${createPatch('api/core.api.md', checkedIn, report, 'checked in', 'now', { context: 2 })}`)
  })
})
