import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateToken } from './generate-token.js'

export const HOOK_TOKEN_FILE = 'hook-token'

/** The token `serve` uses when none is configured, and whether it was generated just now. */
export interface StoredToken {
  readonly token: string
  readonly path: string
  readonly generated: boolean
}

/**
 * Reads the hook token kept in `dataDir`, or generates one and keeps it there readable by the owner only (0600),
 * so that a restarted service keeps answering the token SberMarket was given.
 */
export const loadOrCreateHookToken = async (dataDir: string): Promise<StoredToken> => {
  const path = join(dataDir, HOOK_TOKEN_FILE)
  try {
    const token = (await readFile(path, 'utf8')).trim()
    if (token !== '') return { token, path, generated: false }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await mkdir(dataDir, { recursive: true })
  const token = generateToken()
  // 'wx' fails when another instance created the file meanwhile: then its token is the one to use.
  try {
    await writeFile(path, `${token}\n`, { mode: 0o600, flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateHookToken(dataDir)
    throw error
  }
  await chmod(path, 0o600)
  return { token, path, generated: true }
}
