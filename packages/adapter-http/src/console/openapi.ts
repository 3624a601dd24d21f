import { OUTCOMES } from '@domino-sm/core'

/**
 * The OpenAPI 3.1 document of every route of the internal API: health, metrics, the read-only admin API and the
 * support console's JSON routes. Served at /console/api/openapi.json; the integration tests validate the document
 * and every real answer against it (test/integration/console-api.test.ts), so it cannot drift from the code.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: object) => ({ content: { 'application/json': { schema } } })
const answer = (description: string, schema: object) => ({ description, ...json(schema) })
const problem = (description: string) => answer(description, ref('Problem'))
const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra })
const dateTime = { type: 'string', format: 'date-time' }

const READ = [{ bearer: [] }, { session: [] }]
const keyParam = {
  name: 'key',
  in: 'path',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  description: 'the order key (originalOrderId)',
}
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{1,15}$' } }
const pageParams = [
  {
    name: 'after',
    in: 'query',
    schema: { type: 'string' },
    description: 'the cursor: the id of the last entry of the previous page',
  },
  { name: 'limit', in: 'query', schema: { type: 'string' }, description: '1 to 1000' },
]
const filterParams = [
  { name: 'id', in: 'query', schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true },
  { name: 'order', in: 'query', schema: { type: 'string' } },
  { name: 'outcome', in: 'query', schema: { type: 'string' }, description: `comma-separated: ${OUTCOMES.join(', ')}` },
  { name: 'since', in: 'query', schema: { type: 'string' }, description: 'ISO 8601 with offset' },
  { name: 'until', in: 'query', schema: { type: 'string' } },
  { name: 'review', in: 'query', schema: { type: 'string', enum: ['1', 'true', 'yes'] } },
  {
    name: 'after',
    in: 'query',
    schema: { type: 'string' },
    description: 'the cursor: the id of the last entry of the previous page',
  },
  { name: 'limit', in: 'query', schema: { type: 'string' }, description: '1 to 1000' },
]
const consoleFilterParams = [
  ...filterParams,
  {
    name: 'event',
    in: 'query',
    schema: { type: 'string', maxLength: 100 },
    description:
      'an event type as sent; the console reads at most 10,000 entries a page to find them, so a page may hold fewer than limit and still have a next',
  },
  {
    name: 'status',
    in: 'query',
    schema: { type: 'string', pattern: '^[1-5][0-9][0-9]$' },
    description: 'the HTTP status answered; filtered as event is',
  },
]
const unauthorized = { '401': problem('no token, a wrong token, or no session') }
const acting = {
  '400': problem('a missing note or a bad value'),
  '403': problem('read-only (ADMIN_TOKEN), cross-site, or a missing CSRF token'),
  ...unauthorized,
  '503': problem('the store cannot answer now'),
}

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'domino-sbermarket-hook internal API',
    version: '1',
    description:
      'Health, metrics, the read-only admin API (ADMIN_TOKEN) and the support console (operator tokens, or the console session with its CSRF token). README "Support console".',
  },
  components: {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'an operator token (OPERATOR_TOKENS) or ADMIN_TOKEN (read only)',
      },
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'sm_console',
        description: 'the console session (named __Host-sm_console over TLS); actions also need X-CSRF-Token',
      },
    },
    schemas: {
      Problem: {
        type: 'object',
        required: ['error', 'detail'],
        properties: { error: { type: 'string' }, detail: { type: 'string' } },
        additionalProperties: false,
      },
      Outcome: { type: 'string', enum: [...OUTCOMES] },
      EntryFacts: {
        type: 'object',
        required: ['id', 'receivedAt', 'eventType', 'originalOrderId', 'outcome', 'httpStatus', 'durationMs', 'detail'],
        properties: {
          id: { type: 'integer', minimum: 1 },
          receivedAt: dateTime,
          eventType: nullable('string'),
          originalOrderId: nullable('string'),
          outcome: ref('Outcome'),
          httpStatus: { type: 'integer' },
          durationMs: {
            type: 'number',
            minimum: 0,
            description: 'how long the answer took (the in-memory store keeps fractions of a millisecond)',
          },
          detail: nullable('string'),
        },
      },
      JournalListEntry: {
        allOf: [ref('EntryFacts')],
        required: ['hasBody', 'replayOf'],
        properties: { hasBody: { type: 'boolean' }, replayOf: nullable('integer') },
        unevaluatedProperties: false,
      },
      JournalEntryWithBody: {
        allOf: [ref('EntryFacts')],
        required: ['hasBody', 'replayOf', 'rawBody'],
        properties: { hasBody: { type: 'boolean' }, replayOf: nullable('integer'), rawBody: nullable('string') },
        unevaluatedProperties: false,
      },
      JournalPage: {
        type: 'object',
        required: ['entries', 'next'],
        properties: { entries: { type: 'array', items: ref('JournalListEntry') }, next: nullable('integer') },
        additionalProperties: false,
      },
      OrderLine: {
        type: 'object',
        required: ['sku', 'quantity', 'priceKopecks', 'markingCodes'],
        properties: {
          sku: { type: 'string' },
          name: { type: 'string' },
          quantity: { type: 'string' },
          originalQuantity: { type: 'string' },
          priceKopecks: { type: 'integer' },
          discountPriceKopecks: { type: 'integer' },
          totalPriceKopecks: { type: 'integer' },
          totalDiscountPriceKopecks: { type: 'integer' },
          weight: { type: 'string' },
          replacedBySku: { type: 'string' },
          markingCodes: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
      Order: {
        type: 'object',
        description:
          'A «Заказ СМ»: money in integer kopecks, quantities as decimal text; the header fields as read (storeId, delivery, customer, address, ...).',
        required: ['originalOrderId', 'number', 'status', 'review', 'createdAt', 'updatedAt', 'positions'],
        properties: {
          originalOrderId: { type: 'string' },
          number: { type: 'string' },
          status: { type: 'string', enum: ['new', 'paid', 'handed_to_courier', 'delivered', 'cancelled'] },
          review: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                required: ['reasons', 'markedAt', 'unappliedChange'],
                properties: {
                  reasons: { type: 'array', items: { type: 'string' }, minItems: 1 },
                  markedAt: dateTime,
                  unappliedChange: {},
                },
                additionalProperties: false,
              },
            ],
          },
          createdAt: dateTime,
          updatedAt: dateTime,
          paymentMethods: { type: 'array', items: { type: 'string' } },
          positions: { type: 'array', items: ref('OrderLine') },
        },
      },
      ConsoleOrder: {
        type: 'object',
        required: ['originalOrderId', 'order', 'history', 'next'],
        properties: {
          originalOrderId: { type: 'string' },
          order: { oneOf: [{ type: 'null' }, ref('Order')] },
          history: {
            type: 'array',
            items: ref('JournalListEntry'),
            description: 'a page of the history, oldest first, without bodies',
          },
          next: nullable('integer'),
        },
        additionalProperties: false,
      },
      Today: {
        type: 'object',
        required: [
          'since',
          'now',
          'requests',
          'complete',
          'byOutcome',
          'byStatus',
          'failedOrRejected',
          'nearDeadlineMs',
          'nearDeadlineCount',
          'nearDeadline',
          'ordersForReview',
          'review',
          'changeQueues',
        ],
        properties: {
          since: dateTime,
          now: dateTime,
          requests: { type: 'integer', minimum: 0 },
          complete: {
            type: 'boolean',
            description: 'always true: the store counts every entry of the 24 hours (kept for the shape of the answer)',
          },
          byOutcome: { type: 'object', propertyNames: ref('Outcome'), additionalProperties: { type: 'integer' } },
          byStatus: {
            type: 'object',
            propertyNames: { pattern: '^[0-9]{3}$' },
            additionalProperties: { type: 'integer' },
          },
          failedOrRejected: { type: 'array', items: ref('JournalListEntry') },
          nearDeadlineMs: { type: 'integer' },
          nearDeadlineCount: { type: 'integer' },
          nearDeadline: { type: 'array', items: ref('JournalListEntry') },
          ordersForReview: { type: 'integer' },
          review: {
            type: 'array',
            items: {
              type: 'object',
              required: ['originalOrderId', 'number', 'markedAt', 'waitedSeconds', 'reasons'],
              properties: {
                originalOrderId: { type: 'string' },
                number: { type: 'string' },
                markedAt: dateTime,
                waitedSeconds: { type: 'integer' },
                reasons: { type: 'array', items: { type: 'string' } },
              },
              additionalProperties: false,
            },
          },
          changeQueues: {
            type: 'array',
            items: {
              type: 'object',
              required: ['consumer', 'depth', 'oldest'],
              properties: {
                consumer: { type: 'string' },
                depth: { type: 'integer' },
                oldest: nullable('string', { format: 'date-time' }),
              },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      ReplayRequest: {
        type: 'object',
        required: ['ids', 'note', 'dryRun'],
        properties: {
          ids: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 100 },
          note: { type: 'string', minLength: 1, maxLength: 500 },
          dryRun: { type: 'boolean' },
        },
      },
      ReplayReport: {
        type: 'object',
        required: ['dryRun', 'journaledAs', 'entries'],
        properties: {
          dryRun: { type: 'boolean' },
          journaledAs: nullable('integer'),
          entries: {
            type: 'array',
            items: {
              type: 'object',
              required: [
                'id',
                'originalOrderId',
                'eventType',
                'outcomeThen',
                'replayable',
                'outcomeNow',
                'entryId',
                'verdict',
              ],
              properties: {
                id: { type: 'integer' },
                originalOrderId: nullable('string'),
                eventType: nullable('string'),
                outcomeThen: ref('Outcome'),
                replayable: { type: 'boolean' },
                outcomeNow: { oneOf: [{ type: 'null' }, ref('Outcome')] },
                entryId: nullable('integer'),
                verdict: { type: 'string' },
              },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      Note: {
        type: 'object',
        required: ['note'],
        properties: { note: { type: 'string', minLength: 1, maxLength: 500 } },
      },
      ClearReviewResult: {
        type: 'object',
        required: ['originalOrderId', 'result'],
        properties: { originalOrderId: { type: 'string' }, result: { enum: ['cleared', 'not_marked'] } },
        additionalProperties: false,
      },
      EraseRequest: {
        type: 'object',
        required: ['note', 'confirmOrderKey'],
        properties: {
          note: { type: 'string' },
          confirmOrderKey: { type: 'string', description: 'the order key again' },
        },
      },
      EraseResult: {
        type: 'object',
        required: ['originalOrderId', 'orderFound', 'journalBodiesErased', 'pendingBodiesErased', 'journaledAs'],
        properties: {
          originalOrderId: { type: 'string' },
          orderFound: { type: 'boolean' },
          journalBodiesErased: { type: 'integer' },
          pendingBodiesErased: { type: 'integer' },
          journaledAs: { type: 'integer' },
        },
        additionalProperties: false,
      },
    },
  },
  paths: {
    '/healthz': {
      get: {
        summary: 'liveness',
        security: [],
        responses: {
          '200': answer('alive', { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } }),
        },
      },
    },
    '/readyz': {
      get: {
        summary: 'readiness: the store answers and no shutdown has begun',
        security: [],
        responses: {
          '200': answer('ready', { type: 'object', required: ['status'], properties: { status: { const: 'ready' } } }),
          '503': answer('not ready', {
            type: 'object',
            required: ['status'],
            properties: { status: { enum: ['shutting_down', 'store_unavailable'] } },
          }),
        },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics (aggregates only)',
        security: [],
        responses: {
          '200': { description: 'text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    },
    '/admin/orders/{key}': {
      get: {
        summary: 'an order (ADMIN_TOKEN)',
        security: [{ bearer: [] }],
        parameters: [keyParam],
        responses: { '200': answer('the order', ref('Order')), '404': problem('no such order'), ...unauthorized },
      },
    },
    '/admin/orders/{key}/events': {
      get: {
        summary: "a page of an order key's history, without bodies (ADMIN_TOKEN)",
        security: [{ bearer: [] }],
        parameters: [keyParam, ...pageParams],
        responses: {
          '200': answer('oldest first', {
            type: 'object',
            required: ['originalOrderId', 'events', 'next'],
            properties: {
              originalOrderId: { type: 'string' },
              events: { type: 'array', items: ref('JournalListEntry') },
              next: nullable('integer'),
            },
            additionalProperties: false,
          }),
          '400': problem('a bad after or limit'),
          ...unauthorized,
        },
      },
    },
    '/admin/journal': {
      get: {
        summary: 'the journal, filtered, paged, no bodies (ADMIN_TOKEN)',
        security: [{ bearer: [] }],
        parameters: filterParams,
        responses: { '200': answer('a page', ref('JournalPage')), '400': problem('a bad filter'), ...unauthorized },
      },
    },
    '/admin/journal/{id}': {
      get: {
        summary: 'one entry with its body (ADMIN_TOKEN)',
        security: [{ bearer: [] }],
        parameters: [idParam],
        responses: {
          '200': answer('the entry', ref('JournalEntryWithBody')),
          '404': problem('no such entry'),
          ...unauthorized,
        },
      },
    },
    '/console/api/openapi.json': {
      get: {
        summary: 'this document',
        security: READ,
        responses: { '200': answer('OpenAPI 3.1', { type: 'object' }), ...unauthorized },
      },
    },
    '/console/api/today': {
      get: {
        summary: 'the Today page: the last 24 hours, orders for review, change queues',
        security: READ,
        responses: { '200': answer('figures', ref('Today')), ...unauthorized },
      },
    },
    '/console/api/orders/{key}': {
      get: {
        summary: 'an order and a page of its history (no bodies)',
        security: READ,
        parameters: [keyParam, ...pageParams],
        responses: {
          '200': answer('the order', ref('ConsoleOrder')),
          '400': problem('a bad after or limit'),
          '404': problem('no order and no history for that key'),
          ...unauthorized,
        },
      },
    },
    '/console/api/journal': {
      get: {
        summary: 'the journal, filtered as `journal list` (and by event type), paged',
        security: READ,
        parameters: consoleFilterParams,
        responses: { '200': answer('a page', ref('JournalPage')), '400': problem('a bad filter'), ...unauthorized },
      },
    },
    '/console/api/journal/{id}': {
      get: {
        summary: 'one entry with its body',
        security: READ,
        parameters: [idParam],
        responses: {
          '200': answer('the entry', ref('JournalEntryWithBody')),
          '404': problem('no such entry'),
          ...unauthorized,
        },
      },
    },
    '/console/api/replay': {
      post: {
        summary: 'replay entries (an operator); a dry run first',
        security: READ,
        requestBody: { required: true, ...json(ref('ReplayRequest')) },
        responses: { '200': answer('what each did, or would do', ref('ReplayReport')), ...acting },
      },
    },
    '/console/api/orders/{key}/clear-review': {
      post: {
        summary: 'clear the review mark (an operator)',
        security: READ,
        parameters: [keyParam],
        requestBody: { required: true, ...json(ref('Note')) },
        responses: { '200': answer('done', ref('ClearReviewResult')), '404': problem('no such order'), ...acting },
      },
    },
    '/console/api/orders/{key}/erase': {
      post: {
        summary: "erase an order key's personal data (an operator)",
        security: READ,
        parameters: [keyParam],
        requestBody: { required: true, ...json(ref('EraseRequest')) },
        responses: { '200': answer('erased', ref('EraseResult')), ...acting },
      },
    },
  },
} as const
