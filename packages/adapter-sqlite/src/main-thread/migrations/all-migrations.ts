import { initialSchema } from './001-initial-schema.js'
import { journalExpiredOutcome } from './002-journal-expired-outcome.js'
import { journalBodyTable } from './003-journal-body-table.js'
import { reviewMarksAndMarkingCodes } from './004-review-marks-and-marking-codes.js'
import { journalRequestId } from './005-journal-request-id.js'
import { journalReplayOf } from './006-journal-replay-of.js'
import { orderUuid } from './007-order-uuid.js'
import { journalByReceived } from './008-journal-by-received.js'
import type { Migration } from './migration.js'

/** Every migration, oldest first. Append new ones; never edit one that has shipped. */
export const ALL_MIGRATIONS: readonly Migration[] = [
  initialSchema,
  journalExpiredOutcome,
  journalBodyTable,
  reviewMarksAndMarkingCodes,
  journalRequestId,
  journalReplayOf,
  orderUuid,
  journalByReceived,
]
