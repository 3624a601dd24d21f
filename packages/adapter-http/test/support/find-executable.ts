import { accessSync, constants as fsConstants } from 'node:fs'
import { delimiter, join } from 'node:path'

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, fsConstants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * A tool the tests start: the environment variable `variable` when set (it must then be executable), else `name` on
 * the PATH, else `fallback` (where Debian installs it, which may not be on a non-root user's PATH). Undefined when
 * there is none.
 */
export const findExecutable = (name: string, variable: string, fallback: string): string | undefined => {
  const configured = process.env[variable]
  if (configured !== undefined && configured !== '') return isExecutable(configured) ? configured : undefined
  const onPath = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
  return [...onPath, fallback].find(isExecutable)
}
