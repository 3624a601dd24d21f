import type { Context } from 'koa'
import type { Readiness } from './hook-app-deps.js'

/**
 * Sends `Connection: close` with an answer after which the connection must carry no other request (the edge
 * middleware calls it once the answer is settled, edge-middleware.ts):
 *
 * - once a shutdown has begun: the client (nginx) then opens its next connection to another instance, instead of
 *   reusing one this process is about to close (a request sent on a connection as it closes never reaches this
 *   process: nginx passes it to another instance only within its `proxy_next_upstream_timeout`, a 502 after);
 * - when the answer goes out before the request's body was read to its end (403, 413, 415, 404, 401, 405 ...):
 *   to keep a connection, Node reads and discards the rest of a declared body, so a client without a token could
 *   make the process read gigabytes. With `Connection: close`, Node closes the connection once the answer is
 *   written and the rest is never read.
 */
export const closeConnectionWhenDue = (readiness: Readiness, ctx: Context): void => {
  if (!readiness.accepting || !ctx.req.complete) ctx.set('Connection', 'close')
}
