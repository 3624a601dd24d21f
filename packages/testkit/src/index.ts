/**
 * @domino-sm/testkit: in-memory adapters, fault injection, fixtures and builders. Nothing reachable from here imports
 * mocha or chai (the suites are in `./contract`), so a test of any package may import it. The in-memory store lives in
 * `@domino-sm/store-memory` (production code runs it for `STORE=memory` without installing the test kit); it is
 * re-exported here so tests keep one import.
 */
export { InMemoryOrderRepository } from '@domino-sm/store-memory'
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
export { sessionCpu, sessionCpuBetween, type SessionReading } from './engine-session-cpu.js'
export {
  FIXTURE_NAMES,
  fixtureBody,
  loadFixture,
  type FixtureEnvelope,
  type FixtureName,
  type FixtureOverrides,
} from './fixtures.js'
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
export {
  aStatusReported,
  aStatusReportedByOrderUuid,
  anOrderChanged,
  anOrderCreated,
  anOrderCreatedByOrderUuid,
  anOrderCreatedForReview,
  anUnreadableChange,
  decodeEvent,
  type UpdateCase,
} from './domain-builders.js'
export { uniqueOrderId } from './unique-order-id.js'
export { NEVER_LATE, createdBodyOf, createdReceipt, newRequestId, receiptFor } from './receipts.js'
