/**
 * @domino-sm/testkit: in-memory adapters, fault injection, fixtures and builders. Production code imports it for
 * the in-memory store, so nothing reachable from here may import mocha or chai (the suites are in `./contract`).
 */
export { InMemoryOrderRepository } from './in-memory-order-repository.js'
export { FixedClock } from './fixed-clock.js'
export { StaticTokenVerifier } from './static-token-verifier.js'
export {
  FaultyOrderRepository,
  REPOSITORY_OPERATIONS,
  always,
  atRandom,
  onNextCalls,
  type FailureMode,
  type FaultPlan,
  type FaultyOptions,
  type OperationFaults,
  type RepositoryOperation,
} from './faulty-order-repository.js'
export { seededRandom } from './seeded-random.js'
export { FIXTURE_NAMES, fixtureBody, loadFixture, type FixtureEnvelope, type FixtureName, type FixtureOverrides } from './fixtures.js'
export {
  aWeighedWirePosition,
  aWirePosition,
  envelope,
  fullOrderPayload,
  minimalOrderPayload,
  orderChangedBody,
  orderCreatedBody,
  statusBody,
  type BuiltBody,
  type OrderBodyOptions,
  type OrderPayloadInput,
  type WirePositionJson,
} from './payload-builders.js'
export { aStatusReported, anOrderChanged, anOrderCreated, anOrderCreatedForReview, anUnreadableChange, decodeEvent, type UpdateCase } from './domain-builders.js'
export { uniqueOrderId } from './unique-order-id.js'
export { NEVER_LATE, createdBodyOf, createdReceipt, newRequestId, receiptFor } from './receipts.js'
