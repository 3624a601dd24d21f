#!/usr/bin/env node
import { runCli } from './run-cli.js'

// The one read of the environment: parseAppConfig turns it into the typed configuration (README "Configuration").
runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`domino-sbermarket-hook: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
