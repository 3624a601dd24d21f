import { readFileSync } from 'node:fs'

/** The JSON fixtures in `packages/testkit/fixtures/`: webhook bodies shaped like SberMarket's (docs/contract.md §2-3). */
export type FixtureName =
  | 'order-created'
  | 'order-changed'
  | 'order-paid'
  | 'order-received'
  | 'order-delivered'
  | 'order-cancelled'
  | 'order-created-event-dash'
  | 'order-updated-alias'
  | 'order-canceled-alias'
  | 'unknown-event'

export const FIXTURE_NAMES: readonly FixtureName[] = [
  'order-created',
  'order-changed',
  'order-paid',
  'order-received',
  'order-delivered',
  'order-cancelled',
  'order-created-event-dash',
  'order-updated-alias',
  'order-canceled-alias',
  'unknown-event',
]

/** The envelope of a fixture, loosely typed: tests reach into it. */
export interface FixtureEnvelope {
  readonly [key: string]: unknown
  readonly payload: Readonly<Record<string, unknown>>
}

// src/ and dist/ both sit one level under the package, so this resolves from either.
const FIXTURES = new URL('../fixtures/', import.meta.url)

/** A fixture parsed afresh on every call, so a test may change it freely. */
export const loadFixture = (name: FixtureName): FixtureEnvelope =>
  JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as FixtureEnvelope

export interface FixtureOverrides {
  /** Replaces `payload.originalOrderId`, so that tests sharing one store use their own keys. */
  readonly originalOrderId?: string
  /** Fields merged into `payload` (shallowly). */
  readonly payload?: Readonly<Record<string, unknown>>
}

/** A fixture as a request body (JSON text), with its order key and payload fields replaced. */
export const fixtureBody = (name: FixtureName, overrides: FixtureOverrides = {}): string => {
  const fixture = loadFixture(name)
  const payload = {
    ...fixture.payload,
    ...overrides.payload,
    ...(overrides.originalOrderId === undefined ? {} : { originalOrderId: overrides.originalOrderId }),
  }
  return JSON.stringify({ ...fixture, payload })
}
