/**
 * @domino-sm/store-memory: core's `OrderRepository` port held in the process, for `STORE=memory` and for tests.
 * Production code imports it, so nothing reachable from here may import a test library (mocha, chai) or the test kit.
 */
export { InMemoryOrderRepository } from './in-memory-order-repository.js'
