import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { expect } from 'chai'
import { openApiDocument } from '@domino-sm/adapter-http'
import type { TestResponse } from './http-client.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020
const DOC_ID = 'https://domino-sbermarket-hook.invalid/openapi.json'

/**
 * Validates real answers against the served OpenAPI document: each answer's status must be documented for its
 * route, and its JSON must match that answer's schema (ajv, draft 2020-12, with the document's own $refs). Counts
 * which routes were checked, so a test can prove every documented route was.
 */
export class OpenApiCheck {
  private readonly ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }))
  readonly checked = new Set<string>()

  constructor() {
    this.ajv.addSchema({ ...openApiDocument, $id: DOC_ID })
  }

  /** `template` is the documented path (`/console/api/orders/{key}`), `method` lower case. */
  answer(method: string, template: string, res: TestResponse): void {
    const operation = (
      openApiDocument.paths as Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >
    )[template]?.[method]
    expect(operation, `${method} ${template} is documented`).not.to.equal(undefined)
    const documented = operation?.responses[String(res.status)]
    expect(documented, `${method} ${template} answer ${res.status} is documented`).not.to.equal(undefined)
    this.checked.add(`${method} ${template}`)
    if (documented?.content?.['application/json'] === undefined) return
    const pointer = `#/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses/${res.status}/content/application~1json/schema`
    const validate = this.ajv.getSchema(`${DOC_ID}${pointer}`)
    expect(validate, pointer).not.to.equal(undefined)
    const valid = validate?.(res.json)
    expect(
      valid,
      `${method} ${template} ${res.status}: ${JSON.stringify(validate?.errors)}\n${res.text.slice(0, 500)}`,
    ).to.equal(true)
  }

  /** Every documented operation under `prefix`. */
  static operations(prefix: string): string[] {
    return Object.entries(openApiDocument.paths).flatMap(([path, ops]) =>
      path.startsWith(prefix) ? Object.keys(ops).map((m) => `${m} ${path}`) : [],
    )
  }
}
