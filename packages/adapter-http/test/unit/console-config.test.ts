import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import {
  consolePathOf,
  escapeHtml,
  html,
  parseAppConfig,
  parseConsoleConfig,
  parseOperatorTokens,
} from '@domino-sm/adapter-http'

const files =
  (contents: Record<string, string>) =>
  (path: string): string => {
    const text = contents[path]
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' })
    return text
  }

describe('the support console configuration', () => {
  it('reads OPERATOR_TOKENS as name:token pairs, by commas or lines', () => {
    expect(
      parseOperatorTokens(
        'alice:alice-token-0123456789, bob:bob-token-0123456789ab\n# a comment\ncarol.k:carol-token-01234567',
      ),
    ).to.deep.equal(
      E.right([
        { name: 'alice', token: 'alice-token-0123456789' },
        { name: 'bob', token: 'bob-token-0123456789ab' },
        { name: 'carol.k', token: 'carol-token-01234567' },
      ]),
    )
  })

  it('names every bad item and never prints a token', () => {
    const parsed = parseOperatorTokens(
      'alice, bob:short, :nameless-token-0123456, dave:dave-token-0123456789, dave:other-token-0123456789, eve:dave-token-0123456789, f g:x-token-01234567890',
    )
    expect(E.isLeft(parsed)).to.equal(true)
    const problems = E.isLeft(parsed) ? parsed.left : []
    expect(problems).to.deep.equal([
      'OPERATOR_TOKENS item 1: expected name:token',
      'OPERATOR_TOKENS item 2 (bob): the token must have at least 16 characters',
      'OPERATOR_TOKENS item 3: the name must be 1 to 64 letters, digits, dots, dashes or underscores',
      'OPERATOR_TOKENS item 5: the name dave is given twice',
      'OPERATOR_TOKENS item 6 (eve): the same token is given to two operators',
      'OPERATOR_TOKENS item 7: the name must be 1 to 64 letters, digits, dots, dashes or underscores',
    ])
    expect(problems.join('\n')).not.to.match(/token-0123/)
  })

  it('takes OPERATOR_TOKENS from the variable, its _FILE or the systemd credential (resolveSecrets), and refuses two sources', () => {
    const read = files({
      '/run/ops': 'alice:alice-token-0123456789\n',
      '/creds/OPERATOR_TOKENS': 'bob:bob-token-0123456789ab',
    })
    const operators = (env: Record<string, string>, readFile = read) => {
      const parsed = parseAppConfig(env, { readFile })
      return E.isRight(parsed) ? E.right(parsed.right.console.operators.map((o) => o.name)) : E.left(parsed.left)
    }
    expect(operators({ OPERATOR_TOKENS_FILE: '/run/ops' })).to.deep.equal(E.right(['alice']))
    expect(operators({ CREDENTIALS_DIRECTORY: '/creds' })).to.deep.equal(E.right(['bob']))
    expect(operators({ CREDENTIALS_DIRECTORY: '/elsewhere' })).to.deep.equal(E.right([]))
    expect(operators({ OPERATOR_TOKENS: 'carol:carol-token-0123456789' })).to.deep.equal(E.right(['carol']))
    expect(
      operators({ OPERATOR_TOKENS: 'carol:carol-token-0123456789', OPERATOR_TOKENS_FILE: '/run/ops' }),
    ).to.deep.equal(
      E.left(['OPERATOR_TOKENS is given 2 ways (the variable OPERATOR_TOKENS, OPERATOR_TOKENS_FILE): give it one way']),
    )
    expect(operators({ OPERATOR_TOKENS_FILE: '/run/ops', CREDENTIALS_DIRECTORY: '/creds' })).to.satisfy(E.isLeft)
    expect(operators({ OPERATOR_TOKENS_FILE: '/nope' })).to.deep.equal(
      E.left(['OPERATOR_TOKENS_FILE: cannot read the file "/nope" (ENOENT)']),
    )
    const denied = (path: string): string => {
      throw Object.assign(new Error('denied'), { code: path === '/creds/OPERATOR_TOKENS' ? 'EACCES' : 'ENOENT' })
    }
    expect(operators({ CREDENTIALS_DIRECTORY: '/creds' }, denied)).to.deep.equal(
      E.left(['CREDENTIALS_DIRECTORY: cannot read the file "/creds/OPERATOR_TOKENS" (EACCES)']),
    )
  })

  it('has defaults, and names bad session settings; the whole config fails with them', () => {
    expect(parseConsoleConfig({})).to.deep.equal(
      E.right({ operators: [], sessionMinutes: 480, idleMinutes: 30, secureCookie: 'auto' }),
    )
    expect(
      parseConsoleConfig({ CONSOLE_SESSION_MINUTES: '0', CONSOLE_IDLE_MINUTES: 'soon', CONSOLE_SECURE_COOKIE: 'yes' }),
    ).to.deep.equal(
      E.left([
        'CONSOLE_SESSION_MINUTES must be a whole number of minutes from 1 to 10080, got "0"',
        'CONSOLE_IDLE_MINUTES must be a whole number of minutes from 1 to 10080, got "soon"',
        'CONSOLE_SECURE_COOKIE must be auto or always, got "yes"',
      ]),
    )
    const config = parseAppConfig({ OPERATOR_TOKENS: 'alice:short' })
    expect(E.isLeft(config) ? config.left : []).to.deep.equal([
      'OPERATOR_TOKENS item 1 (alice): the token must have at least 16 characters',
    ])
    const fine = parseAppConfig({ OPERATOR_TOKENS: 'alice:alice-token-0123456789', CONSOLE_SECURE_COOKIE: 'always' })
    expect(E.isRight(fine) ? fine.right.console.secureCookie : undefined).to.equal('always')
  })
})

describe('the console escapes by construction', () => {
  it('escapes every interpolated value, and only html-made values pass as markup', () => {
    const hostile = `<script>"x" & 'y' \`z\`</script>`
    expect(escapeHtml(hostile)).to.equal('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39; &#96;z&#96;&lt;/script&gt;')
    expect(html`<p title="${hostile}">${[hostile, html`<b>${hostile}</b>`]}</p>`.text).to.equal(
      `<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}<b>${escapeHtml(hostile)}</b></p>`,
    )
    expect(html`${null}${undefined}${false}${0}`.text).to.equal('0')
  })

  it('goes back only to console paths', () => {
    expect(consolePathOf('/console/orders/H1?body=3#body')).to.equal('/console/orders/H1?body=3#body')
    for (const bad of [
      '//evil',
      '/console//evil',
      '/console/../x',
      'https://evil/',
      '/consolex',
      '/console\\x',
      '',
      7,
      undefined,
    ])
      expect(consolePathOf(bad), String(bad)).to.equal('/console/today')
  })
})
