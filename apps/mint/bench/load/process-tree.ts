/**
 * CPU time and memory of a process and everything it started (a mint's primary and its workers,
 * PostgreSQL's postmaster and its backends), read from /proc. CPU is user + system time in ms;
 * RSS is the sum over the tree, sampled, so its peak is the largest sum seen.
 */
import { readdirSync, readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100 // USER_HZ on Linux

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** The process and its descendants, alive now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = read(`/proc/${entry}/stat`)
    // The command may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const parent = Number(fields[1])
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
  }
  const tree: number[] = []
  const visit = (pid: number) => {
    tree.push(pid)
    for (const child of children.get(pid) ?? []) visit(child)
  }
  visit(root)
  return tree
}

/** user + system CPU of one process, ms (its own, not its children's). */
function cpuMs(pid: number): number {
  const stat = read(`/proc/${pid}/stat`)
  if (!stat) return 0
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
}

/**
 * CPU (ns) that every thread of the tree has used so far, from schedstat: for short measurements,
 * where the 10 ms ticks of cpuMs would be most of the figure. A thread that exits takes its time
 * with it, so read it around work whose processes and threads stay up.
 */
export function treeCpuNs(root: number): number {
  let total = 0
  for (const pid of processTree(root)) {
    let tasks: string[] = []
    try {
      tasks = readdirSync(`/proc/${pid}/task`)
    } catch {
      continue
    }
    for (const task of tasks) total += Number(read(`/proc/${pid}/task/${task}/schedstat`).split(' ')[0] || 0)
  }
  return total
}

function rssBytes(pid: number): number {
  const match = read(`/proc/${pid}/status`).match(/VmRSS:\s+(\d+) kB/)
  return match ? Number(match[1]) * 1024 : 0
}

export interface TreeMeter {
  /** CPU (ms) the tree used since the meter started, counting processes that exited meanwhile. */
  cpuMs(): number
  /** The largest RSS sum seen, bytes. */
  peakRss(): number
  /** The largest RSS of any one process seen (a worker), bytes. */
  peakProcessRss(): number
  /** The RSS sum now, bytes. */
  rss(): number
  stop(): void
}

/** Samples the tree every `intervalMs`; CPU of a process that exits between samples is its last reading. */
export function meterTree(root: number, intervalMs = 200): TreeMeter {
  const start = new Map<number, number>()
  const last = new Map<number, number>()
  let peak = 0
  let peakProcess = 0
  let now = 0
  const sample = () => {
    let rss = 0
    for (const pid of processTree(root)) {
      const cpu = cpuMs(pid)
      if (!start.has(pid)) start.set(pid, cpu)
      last.set(pid, cpu)
      const own = rssBytes(pid)
      peakProcess = Math.max(peakProcess, own)
      rss += own
    }
    now = rss
    peak = Math.max(peak, rss)
  }
  sample()
  const timer = setInterval(sample, intervalMs)
  return {
    cpuMs() {
      sample()
      let total = 0
      for (const [pid, cpu] of last) total += cpu - (start.get(pid) ?? cpu)
      return total
    },
    peakRss: () => peak,
    peakProcessRss: () => peakProcess,
    rss: () => now,
    stop: () => clearInterval(timer),
  }
}

/** PostgreSQL's postmaster, from its data directory's postmaster.pid. */
export function postmasterPid(): number {
  for (const dir of readdirSync('/var/lib/postgresql').sort().reverse()) {
    const pid = Number(read(`/var/lib/postgresql/${dir}/main/postmaster.pid`).split('\n')[0])
    if (pid > 0) return pid
  }
  throw new Error('no running PostgreSQL under /var/lib/postgresql (scripts/postgres.sh starts it)')
}
