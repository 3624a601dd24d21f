import { expect } from 'chai'
import {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_CHECKPOINT_EVERY_MS,
  DEFAULT_MAX_WAL_BYTES,
  MAX_BUSY_TIMEOUT_MS,
} from '@domino-sm/adapter-sqlite'
import { resolveSqliteSettings } from '@domino-sm/adapter-sqlite/internals'

describe('sqlite settings', () => {
  it('fills in the busy timeout and FULL synchronous', () => {
    expect(resolveSqliteSettings({ path: 'data/hook.sqlite' })).to.deep.equal({
      path: 'data/hook.sqlite',
      busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS,
      synchronous: 'FULL',
      checkpointEveryMs: DEFAULT_CHECKPOINT_EVERY_MS,
      maxWalBytes: DEFAULT_MAX_WAL_BYTES,
    })
  })

  it('keeps a busy timeout inside the 4 s answer budget', () => {
    expect(DEFAULT_BUSY_TIMEOUT_MS).to.be.below(4000)
  })

  it('keeps values that were given', () => {
    expect(
      resolveSqliteSettings({
        path: 'x.sqlite',
        busyTimeoutMs: 250,
        synchronous: 'NORMAL',
        checkpointEveryMs: 50,
        maxWalBytes: 65536,
      }),
    ).to.deep.equal({
      path: 'x.sqlite',
      busyTimeoutMs: 250,
      synchronous: 'NORMAL',
      checkpointEveryMs: 50,
      maxWalBytes: 65536,
    })
  })

  it('refuses an empty path, a bad busy timeout, an unknown synchronous mode and a bad WAL bound', () => {
    expect(() => resolveSqliteSettings({ path: ' ' })).to.throw(RangeError, 'path')
    for (const busyTimeoutMs of [-1, 1.5, MAX_BUSY_TIMEOUT_MS + 1, Number.NaN]) {
      expect(() => resolveSqliteSettings({ path: 'x', busyTimeoutMs }), String(busyTimeoutMs)).to.throw(
        RangeError,
        'busyTimeoutMs',
      )
    }
    expect(() => resolveSqliteSettings({ path: 'x', synchronous: 'OFF' as 'FULL' })).to.throw(RangeError, 'synchronous')
    for (const checkpointEveryMs of [0, 9, 2.5, 60_001]) {
      expect(() => resolveSqliteSettings({ path: 'x', checkpointEveryMs }), String(checkpointEveryMs)).to.throw(
        RangeError,
        'checkpointEveryMs',
      )
    }
    for (const maxWalBytes of [0, 65535, 1.5, 2 ** 30 + 1]) {
      expect(() => resolveSqliteSettings({ path: 'x', maxWalBytes }), String(maxWalBytes)).to.throw(
        RangeError,
        'maxWalBytes',
      )
    }
  })
})
