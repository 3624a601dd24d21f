import { randomBytes } from 'node:crypto'

/** A fresh token: 32 random bytes (256 bits), URL-safe base64, 43 characters. */
export const generateToken = (): string => randomBytes(32).toString('base64url')
