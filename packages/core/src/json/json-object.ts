/** A JSON object as `JSON.parse` gives it: not null, not an array. */
export type JsonObject = Readonly<Record<string, unknown>>

/** Whether a parsed JSON value is an object (the envelope, a payload, a member): the one test every reader uses. */
export const isJsonObject = (u: unknown): u is JsonObject => typeof u === 'object' && u !== null && !Array.isArray(u)
