import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseAppConfig } from '@domino-sm/adapter-http'

/** A password with every character that ends or quotes a value in a connection string. */
const PASSWORD = `Pa;ss=w"o'r{d}}x`
const ADMIN = 'admin-token-0123456789abcdef'

describe('parseAppConfig: secrets from the variable, <NAME>_FILE or $CREDENTIALS_DIRECTORY/<NAME>', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hook-secrets-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const file = (name: string, content: string): string => {
    const path = join(dir, name)
    writeFileSync(path, content, { mode: 0o600 })
    return path
  }
  const configOf = (env: Record<string, string>) => {
    const parsed = parseAppConfig(env)
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
    return parsed.right
  }
  const problemsOf = (env: Record<string, string>): string => {
    const parsed = parseAppConfig(env)
    if (E.isRight(parsed)) throw new Error('expected a configuration error')
    return parsed.left.join('\n')
  }

  it('reads a secret from <NAME>_FILE, without the trailing newline', () => {
    const config = configOf({
      ADMIN_TOKEN_FILE: file('admin', `${ADMIN}\n`),
      SBERMARKET_HOOK_TOKENS_FILE: file('hook', 'hook-token-aaaaaaaaaaaa,hook-token-bbbbbbbbbbbb\r\n'),
    })
    expect(config.adminToken).to.equal(ADMIN)
    expect(config.hookTokens).to.deep.equal(['hook-token-aaaaaaaaaaaa', 'hook-token-bbbbbbbbbbbb'])
    const perLine = configOf({
      SBERMARKET_HOOK_TOKENS_FILE: file('hook-lines', 'hook-token-aaaaaaaaaaaa\nhook-token-bbbbbbbbbbbb\n'),
    })
    expect(perLine.hookTokens).to.deep.equal(['hook-token-aaaaaaaaaaaa', 'hook-token-bbbbbbbbbbbb'])
  })

  it("reads a secret from systemd's credentials folder, named exactly like the variable; a credential not there is no source", () => {
    mkdirSync(join(dir, 'creds'))
    writeFileSync(join(dir, 'creds', 'ADMIN_TOKEN'), `${ADMIN}\n`)
    const config = configOf({ CREDENTIALS_DIRECTORY: join(dir, 'creds') })
    expect(config.adminToken).to.equal(ADMIN)
    expect(config.hookTokens).to.deep.equal([])
  })

  it('reads DOMINO_DB_URL and DOMINO_DB_PASSWORD from files: a password holding ; = quotes and braces arrives whole', () => {
    const config = configOf({
      DOMINO_DB_URL_FILE: file('url', 'Server=db01,1433;Database=Domino;User Id=SberMarketOrdersHook;Encrypt=true\n'),
      DOMINO_DB_PASSWORD_FILE: file('password', `${PASSWORD}\n`),
    })
    expect(config.store).to.equal('domino-db')
    expect(config.dominoDb).to.deep.include({
      server: 'db01',
      port: 1433,
      database: 'Domino',
      user: 'SberMarketOrdersHook',
      password: PASSWORD,
    })
  })

  it('refuses a secret given two ways, naming the sources and never the values', () => {
    mkdirSync(join(dir, 'creds'))
    writeFileSync(join(dir, 'creds', 'ADMIN_TOKEN'), `${ADMIN}-creds`)
    const problems = problemsOf({
      ADMIN_TOKEN: `${ADMIN}-env`,
      ADMIN_TOKEN_FILE: file('admin', `${ADMIN}-file`),
      CREDENTIALS_DIRECTORY: join(dir, 'creds'),
    })
    expect(problems).to.contain(
      'ADMIN_TOKEN is given 3 ways (the variable ADMIN_TOKEN, ADMIN_TOKEN_FILE, the credential ADMIN_TOKEN in $CREDENTIALS_DIRECTORY): give it one way',
    )
    expect(problems).to.not.contain(ADMIN)
  })

  it('names a file that cannot be read, and why, never its content; an empty file is an error too', () => {
    const missing = join(dir, 'no-such-file')
    const empty = file('empty', '\n')
    const problems = problemsOf({
      ADMIN_TOKEN_FILE: missing,
      DOMINO_DB_PASSWORD_FILE: dir,
      SBERMARKET_HOOK_TOKENS_FILE: empty,
      STORE: 'domino-db',
      DOMINO_DB_SERVER: 'db',
      DOMINO_DB_DATABASE: 'd',
      DOMINO_DB_USER: 'u',
    })
    expect(problems).to.contain(`ADMIN_TOKEN_FILE: cannot read the file ${JSON.stringify(missing)} (ENOENT)`)
    expect(problems).to.contain(`DOMINO_DB_PASSWORD_FILE: cannot read the file ${JSON.stringify(dir)} (EISDIR)`)
    expect(problems).to.contain(`SBERMARKET_HOOK_TOKENS_FILE: the file ${JSON.stringify(empty)} is empty`)
  })

  it('refuses a file that is not a regular file or is far bigger than a secret, without reading it', () => {
    const big = file('big', 'x'.repeat(64 * 1024 + 1))
    const problems = problemsOf({ ADMIN_TOKEN_FILE: '/dev/zero', SBERMARKET_HOOK_TOKENS_FILE: big })
    expect(problems).to.contain('ADMIN_TOKEN_FILE: cannot read the file "/dev/zero" (not a regular file)')
    expect(problems).to.contain(
      `SBERMARKET_HOOK_TOKENS_FILE: cannot read the file ${JSON.stringify(big)} (larger than 65536 bytes)`,
    )
  })

  it('says a bad secret is bad without quoting it', () => {
    const problems = problemsOf({
      ADMIN_TOKEN_FILE: file('admin', 'short-secret\n'),
      SBERMARKET_HOOK_TOKENS_FILE: file('hook', 'a token with spaces in it\n'),
    })
    expect(problems).to.contain('ADMIN_TOKEN: every token must have at least 16 characters')
    expect(problems).to.contain('SBERMARKET_HOOK_TOKENS: tokens may hold only visible ASCII characters')
    expect(problems).to.not.contain('short-secret').and.not.contain('spaces in it')
  })

  it('reads the file through the reader it is given (the file system by default)', () => {
    const read: string[] = []
    const parsed = parseAppConfig(
      { ADMIN_TOKEN_FILE: '/run/secrets/admin' },
      { readFile: (path) => (read.push(path), `${ADMIN}\n`) },
    )
    expect(read).to.deep.equal(['/run/secrets/admin'])
    expect(E.isRight(parsed) && parsed.right.adminToken).to.equal(ADMIN)
  })
})
