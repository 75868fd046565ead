import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { reduceMemoryWhenIdle } from './idle-memory.ts'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

it('collects once when the process goes quiet: after start, after each burst, never while busy', () => {
  const publicServer = new EventEmitter()
  const adminServer = new EventEmitter()
  const collect = vi.fn()
  const idle = reduceMemoryWhenIdle([publicServer, adminServer], 1000, collect)

  vi.advanceTimersByTime(1000)
  expect(collect).toHaveBeenCalledTimes(1) // start-up's garbage
  vi.advanceTimersByTime(5000)
  expect(collect).toHaveBeenCalledTimes(1) // nothing new since

  for (let tenth = 0; tenth < 50; tenth++) {
    publicServer.emit('request')
    vi.advanceTimersByTime(100)
  }
  expect(collect).toHaveBeenCalledTimes(1) // busy: never a quiet second
  vi.advanceTimersByTime(800)
  expect(collect).toHaveBeenCalledTimes(1)
  vi.advanceTimersByTime(200)
  expect(collect).toHaveBeenCalledTimes(2) // a second after the burst's last request
  vi.advanceTimersByTime(10_000)
  expect(collect).toHaveBeenCalledTimes(2)

  adminServer.emit('request')
  vi.advanceTimersByTime(1100)
  expect(collect).toHaveBeenCalledTimes(3) // the admin listener counts too

  idle.stop()
  publicServer.emit('request')
  vi.advanceTimersByTime(5000)
  expect(collect).toHaveBeenCalledTimes(3)
})

it('does nothing without --expose-gc', () => {
  expect(globalThis.gc).toBeUndefined()
  const idle = reduceMemoryWhenIdle([new EventEmitter()], 1000)
  expect(() => vi.advanceTimersByTime(3000)).not.toThrow()
  idle.stop()
})
