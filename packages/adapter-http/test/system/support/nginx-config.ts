import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

/** The template kept in the repository: the one production deploys (deploy/nginx/). */
const HOOK_CONF_TEMPLATE = fileURLToPath(new URL('../../../../../deploy/nginx/hook.conf.template', import.meta.url))

/** The values of the template's placeholders (its header says what each one holds). */
export interface HookConfValues {
  readonly LISTEN: string
  readonly SERVER_NAME: string
  readonly TLS: string
  readonly ALLOW_SOURCES: string
  readonly UPSTREAM_SERVERS: string
  readonly ACCESS_LOG: string
}

const PLACEHOLDER = /\{\{([A-Z_]+)\}\}/g

/**
 * Fills `{{NAME}}` placeholders by plain text substitution, as an operator does with sed. A placeholder without
 * a value, or a value no placeholder uses, is an error: a typo must not produce a config that nginx accepts
 * with a hole in it.
 */
const renderTemplate = (template: string, values: Readonly<Record<string, string>>): string => {
  const used = new Set<string>()
  const rendered = template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`nginx template: no value for {{${name}}}`)
    used.add(name)
    return value
  })
  const unused = Object.keys(values).filter((name) => !used.has(name))
  if (unused.length > 0) throw new Error(`nginx template: no placeholder for ${unused.join(', ')}`)
  return rendered
}

/** The hook's site file from the repository's template, for a pool of instances on loopback. */
export const renderHookConf = async (values: HookConfValues): Promise<string> =>
  renderTemplate(await readFile(HOOK_CONF_TEMPLATE, 'utf8'), { ...values })

/** `server` lines for the template's upstream, as the template's header recommends them. */
export const upstreamServers = (origins: readonly string[]): string =>
  origins.map((origin) => `server ${new URL(origin).host} max_fails=1 fail_timeout=2s;`).join('\n    ')

/**
 * The main nginx.conf of a test run: what Debian's /etc/nginx/nginx.conf does in production (worker settings,
 * the `http` block that includes the site file), with every path inside the run's own directory.
 */
export const mainConf = (dir: string, siteFile: string, runAsRoot: boolean): string =>
  [
    // As root, nginx would switch its workers to `nobody`, who cannot write into the run's 0700 directory.
    ...(runAsRoot ? ['user root;'] : []),
    'worker_processes 1;',
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 512; }',
    'http {',
    `    access_log ${dir}/default-access.log;`,
    `    client_body_temp_path ${dir}/tmp/client_body;`,
    `    proxy_temp_path ${dir}/tmp/proxy;`,
    `    fastcgi_temp_path ${dir}/tmp/fastcgi;`,
    `    uwsgi_temp_path ${dir}/tmp/uwsgi;`,
    `    scgi_temp_path ${dir}/tmp/scgi;`,
    `    include ${siteFile};`,
    '}',
    '',
  ].join('\n')
