import getRawBody from 'raw-body'
import type { Context } from 'koa'
import { promisify } from 'node:util'
import { brotliDecompress, unzip, type InputType, type ZlibOptions } from 'node:zlib'
import type { ContentCoding } from './content-headers.js'

/** How reading a hook body ended. */
export type BodyRead =
  | { readonly _tag: 'Text'; readonly text: string }
  /** Over the limit on the wire, or once decompressed: reading stopped there. */
  | { readonly _tag: 'TooLarge'; readonly decompressed: boolean }
  /** Not UTF-8, or not decompressible: the bytes as received, for the journal. */
  | { readonly _tag: 'Undecodable'; readonly reason: 'not_utf8' | 'bad_compression'; readonly bytes: Buffer }
  /** The client went away before the body ended. */
  | { readonly _tag: 'Aborted' }
  /** The client was still sending when REQUEST_TIMEOUT_MS passed: Node answered 408 and closed the connection. */
  | { readonly _tag: 'TimedOut' }

type Wire =
  | { readonly _tag: 'Bytes'; readonly bytes: Buffer }
  | { readonly _tag: 'TooLarge' }
  | { readonly _tag: 'Aborted' }
  | { readonly _tag: 'TimedOut' }

/**
 * Whether Node cut the request off for its `requestTimeout`: Node then writes `408 Request Timeout` itself (when no
 * answer was begun) and destroys the socket with `ERR_HTTP_REQUEST_TIMEOUT`, before the request stream ends as
 * aborted; the socket keeps that error (`errored`).
 */
const timedOut = (ctx: Context): boolean =>
  (ctx.req.socket.errored as { code?: unknown } | null)?.code === 'ERR_HTTP_REQUEST_TIMEOUT'

/** Reads a request's body as the bytes received (raw-body). */
export type WireReader = (ctx: Context) => Promise<Wire>

/**
 * The wire reader of the hook: raw-body reads at most `limit` bytes of the request stream as it came, not
 * decompressed and not decoded. A declared Content-Length over the limit is refused without reading a byte; a body
 * that grows past it is refused as soon as it does, and the stream is left paused (the answer then closes the
 * connection). Decompression and UTF-8 decoding are ours (`readBodyText`), because a body that does not decompress
 * or is not UTF-8 must still reach the journal byte for byte. The media type was checked before (`requireJson`), so
 * nothing here looks at it again: the body is read whatever spelling of a JSON type that guard accepted.
 */
export const wireReader =
  (limit: number): WireReader =>
  async (ctx) => {
    try {
      const bytes = await getRawBody(ctx.req, { limit, length: ctx.req.headers['content-length'] ?? null })
      return { _tag: 'Bytes', bytes }
    } catch (error) {
      if ((error as { status?: unknown }).status === 413) return { _tag: 'TooLarge' }
      return timedOut(ctx) ? { _tag: 'TimedOut' } : { _tag: 'Aborted' }
    }
  }

// `unzip` reads gzip and zlib-wrapped deflate alike, as HTTP clients send either for gzip/deflate.
const decompressors: Readonly<
  Record<Exclude<ContentCoding, 'identity'>, (bytes: InputType, options: ZlibOptions) => Promise<Buffer>>
> = {
  gzip: promisify<InputType, ZlibOptions, Buffer>(unzip),
  deflate: promisify<InputType, ZlibOptions, Buffer>(unzip),
  br: promisify<InputType, ZlibOptions, Buffer>(brotliDecompress),
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

const isTooLarge = (error: unknown): boolean => (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE'

/**
 * The body as text: read up to `limit` bytes, decompressed (again up to `limit` bytes, so a small compressed
 * body cannot inflate into a large one: a decompression bomb stops at the limit), decoded as strict UTF-8. A
 * leading byte order mark is dropped, as JSON parsers may (RFC 8259 §8.1); an invalid sequence is never replaced
 * by U+FFFD: the body is refused and its bytes kept as they came.
 */
export const readBodyText = async (
  ctx: Context,
  readWire: WireReader,
  coding: ContentCoding,
  limit: number,
): Promise<BodyRead> => {
  const wire = await readWire(ctx)
  if (wire._tag !== 'Bytes') return wire._tag === 'TooLarge' ? { _tag: 'TooLarge', decompressed: false } : wire
  let bytes = wire.bytes
  if (coding !== 'identity') {
    try {
      bytes = await decompressors[coding](wire.bytes, { maxOutputLength: limit })
    } catch (error) {
      if (isTooLarge(error)) return { _tag: 'TooLarge', decompressed: true }
      return { _tag: 'Undecodable', reason: 'bad_compression', bytes: wire.bytes }
    }
  }
  try {
    return { _tag: 'Text', text: utf8.decode(bytes) }
  } catch {
    return { _tag: 'Undecodable', reason: 'not_utf8', bytes }
  }
}
