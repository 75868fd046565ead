// The dashboard's script, run by the operator's browser: reads the admin API with the token kept
// for this tab and fills the panels of dashboard.ts. Every figure also carries its exact value in
// data-value, so tests compare what is shown with the admin API and the database.
/* global uPlot */
const KEY = 'cashu-mint-admin-token'
const $ = (id) => document.getElementById(id)
let token = sessionStorage.getItem(KEY)
let chart
let timer

/** JSON with integers beyond 2^53 kept exact (the API sends u64 amounts as plain numbers). */
const parse = (text) =>
  JSON.parse(text, (_key, value, context) =>
    typeof value === 'number' &&
    !Number.isSafeInteger(value) &&
    context?.source &&
    /^-?\d+$/.test(context.source)
      ? BigInt(context.source)
      : value,
  )

async function api(path, init = {}) {
  const response = await fetch(path, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  })
  if (response.status === 401) {
    forget()
    throw new Error('token refused')
  }
  const body = parse(await response.text())
  if (!response.ok) throw new Error(body.detail ?? String(response.status))
  return body
}

const COPY_ICON =
  '<svg width="11" height="11" viewBox="0 0 12 12" fill="none" stroke="currentColor" aria-hidden="true"><rect x="3.5" y="0.5" width="8" height="8" rx="1"/><path d="M8.5 9.5v1a1 1 0 0 1-1 1h-6a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1h1"/></svg>'

const FIAT = new Set(['usd', 'eur', 'gbp', 'chf', 'jpy', 'cad', 'aud'])

/** An amount in its unit: sat and msat with separators, fiat units as cents in their currency. */
function formatAmount(amount, unit) {
  const value = BigInt(amount)
  if (FIAT.has(unit)) {
    const negative = value < 0n
    const cents = negative ? -value : value
    const text = new Intl.NumberFormat('en', { style: 'currency', currency: unit.toUpperCase() }).format(
      Number(cents / 100n) + Number(cents % 100n) / 100,
    )
    return negative ? `-${text}` : text
  }
  return `${value.toLocaleString('en')} ${unit}`
}

function age(seconds) {
  const s = Math.max(0, Math.floor(Date.now() / 1000) - Number(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min`
  if (s < 86400) return `${Math.floor(s / 3600)} h`
  return `${Math.floor(s / 86400)} d`
}

function element(tag, text, attributes = {}) {
  const e = document.createElement(tag)
  if (text !== undefined) e.textContent = text
  for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value)
  return e
}

/** A figure: its formatted text, with the exact amount in data-value and a name in data-figure. */
const figure = (tag, amount, unit, name, attributes = {}) =>
  element(tag, formatAmount(amount, unit), {
    'data-figure': name,
    'data-value': String(amount),
    ...attributes,
  })

/** An id shortened to its ends, the whole of it on hover and a button that copies it. */
function shortId(id) {
  const span = element('span', id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id, {
    class: 'id',
    title: id,
    'data-id': id,
  })
  const copy = element('button', undefined, { class: 'copy', title: 'copy', 'aria-label': `copy ${id}` })
  copy.innerHTML = COPY_ICON
  copy.onclick = () => navigator.clipboard?.writeText(id)
  const both = element('span')
  both.append(span, copy)
  return both
}

/**
 * Fills a table: `columns` are [heading, class]; each row is a list of text or nodes. With `tag`
 * ([name, ids]), row i carries data-<name>=ids[i], for finding a row by what it shows.
 */
function fill(table, columns, rows, tag) {
  table.textContent = ''
  const head = table.createTHead().insertRow()
  for (const [heading, cls] of columns) head.append(element('th', heading, cls ? { class: cls } : {}))
  const body = table.createTBody()
  if (!rows.length) {
    const row = body.insertRow()
    row.className = 'muted'
    row.insertCell().textContent = 'none'
  }
  rows.forEach((values, r) => {
    const row = body.insertRow()
    if (tag) row.dataset[tag[0]] = tag[1][r]
    values.forEach((value, i) => {
      const cell = row.insertCell()
      if (columns[i]?.[1]) cell.className = columns[i][1]
      if (value instanceof Node) cell.append(value)
      else cell.textContent = value === null || value === undefined ? '' : String(value)
    })
  })
}

/** One backend's solvency: what it holds against what is owed through it, in sat. */
function backendSolvency(backend) {
  const name = backend.name
  const block = element('div', undefined, { 'data-backend': name })
  block.append(element('h3', name))
  if (backend.balance_msat === null)
    block.append(element('div', 'balance unknown', { class: 'big muted', 'data-figure': `balance:${name}` }))
  else
    block.append(
      figure('div', BigInt(backend.balance_msat) / 1000n, 'sat', `balance:${name}`, { class: 'big' }),
    )
  const owed = element('div', `owed in ${backend.units.join(', ') || 'no unit'}: `)
  owed.append(figure('span', BigInt(backend.liabilities_msat) / 1000n, 'sat', `liabilities:${name}`))
  block.append(owed)
  if (backend.balance_msat !== null) {
    const margin = element('div', 'margin: ')
    margin.append(
      figure(
        'span',
        (BigInt(backend.balance_msat) - BigInt(backend.liabilities_msat)) / 1000n,
        'sat',
        `margin:${name}`,
      ),
    )
    block.append(margin)
  }
  if (backend.unpriced_units.length)
    block.append(
      element('div', `${backend.unpriced_units.join(', ')}: no price now, not counted`, { class: 'muted' }),
    )
  const verdict =
    backend.solvent === false
      ? 'NOT COVERED: it cannot pay out all ecash'
      : backend.solvent
        ? 'covered'
        : 'cannot say'
  block.append(
    element('div', verdict, {
      'data-solvent': name,
      class: backend.solvent === false ? 'bad' : backend.solvent ? 'ok' : 'muted',
    }),
  )
  return block
}

function solvency(balance) {
  const box = $('solvency')
  box.textContent = ''
  for (const backend of balance.backends) box.append(backendSolvency(backend))
}

function units(balance) {
  const rows = Object.entries(balance.units).map(([unit, v]) => [
    unit,
    figure('span', v.outstanding, unit, `outstanding:${unit}`),
    figure('span', v.fees_earned, unit, `fees:${unit}`),
  ])
  fill($('units'), [['unit'], ['outstanding', 'num'], ['fees earned', 'num']], rows)
}

function pending(balance, melts) {
  const box = $('pending')
  box.textContent = ''
  box.append(
    element('div', String(balance.pending_melts), {
      class: balance.pending_melts ? 'bad big' : 'ok big',
      id: 'pending-count',
      'data-value': String(balance.pending_melts),
    }),
  )
  const open = melts.filter((q) => q.state === 'PENDING')
  if (open.length) {
    const table = element('table')
    fill(
      table,
      [['quote'], ['amount', 'num'], ['waiting', 'num']],
      open.map((q) => [shortId(q.id), formatAmount(q.amount, q.unit), age(q.createdAt)]),
    )
    box.append(table)
  } else box.append(element('div', 'no payment waiting for its outcome', { class: 'muted' }))
}

const CHART_HEIGHT = 180
const chartWidth = () => Math.max(240, $('chart').clientWidth)

/** Issued and redeemed per hour of the chart's unit, every hour of the last 48 present (0 when quiet). */
function drawChart(flows, unit) {
  const now = Math.floor(Date.now() / 3600_000) * 3600
  const hours = Array.from({ length: 48 }, (_, i) => now - (47 - i) * 3600)
  const sums = (kind) =>
    hours.map((h) =>
      flows.filter((f) => Number(f.hour) === h && f.unit === unit).reduce((a, f) => a + Number(f[kind]), 0),
    )
  const data = [hours, sums('issued'), sums('redeemed')]
  const box = $('chart')
  const width = chartWidth()
  const bar = (align) => uPlot.paths.bars({ size: [0.4, 12], align })
  if (chart && chart.unit === unit) {
    chart.setData(data)
    if (chart.width !== width) chart.setSize({ width, height: CHART_HEIGHT })
  } else {
    chart?.destroy()
    chart = new uPlot(
      {
        width,
        height: CHART_HEIGHT,
        legend: { show: true },
        scales: {
          x: { time: true, range: (_u, min, max) => [min - 1800, max + 1800] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
        },
        axes: [
          { label: 'hour (local time)', labelSize: 16, labelGap: 4, size: 44 },
          {
            label: `amount (${unit})`,
            labelSize: 18,
            size: 56,
            values: (_u, ticks) => ticks.map((t) => t.toLocaleString('en')),
          },
        ],
        series: [
          {},
          { label: 'issued', stroke: '#0a7', fill: '#0a7a', paths: bar(-1), points: { show: false } },
          { label: 'redeemed', stroke: '#c60', fill: '#c60a', paths: bar(1), points: { show: false } },
        ],
      },
      data,
      box,
    )
    chart.unit = unit
    window.dashboardChart = chart
  }
  const total = (series) => series.reduce((a, v) => a + v, 0)
  const totals = $('chart-totals')
  totals.textContent = ''
  totals.append(
    figure('span', total(data[1]), unit, `issued-48h:${unit}`),
    element('span', 'issued'),
    figure('span', total(data[2]), unit, `redeemed-48h:${unit}`),
    element('span', 'redeemed'),
  )
}

function keysets(all, balance) {
  const listed = all.keysets.filter(
    (k) => k.id.startsWith('01') || !all.keysets.some((o) => o.id.startsWith('01')),
  )
  const outstanding = new Map(balance.keysets.map((k) => [k.keysetId, k.outstanding]))
  fill(
    $('keysets'),
    [['id'], ['unit'], ['fee ‰', 'num'], ['outstanding', 'num'], ['']],
    listed.map((k) => {
      let rotate = element('span', 'retired', { class: 'muted' })
      if (k.active) {
        rotate = element('button', 'rotate', { 'data-unit': k.unit })
        rotate.onclick = async () => {
          if (
            !confirm(`Start a new ${k.unit} keyset? The current one stops signing but stays valid as input.`)
          )
            return
          await api('/v1/admin/keysets/rotate', {
            method: 'POST',
            body: JSON.stringify({ unit: k.unit, input_fee_ppk: Number(k.input_fee_ppk) }),
          })
          refresh()
        }
      }
      return [
        shortId(k.id),
        k.unit,
        String(k.input_fee_ppk),
        figure('span', outstanding.get(k.id) ?? 0, k.unit, `keyset:${k.id}`),
        rotate,
      ]
    }),
    ['keyset', listed.map((k) => k.id)],
  )
}

function quotes(mints, melts) {
  const all = [...mints.map((q) => ({ kind: 'mint', ...q })), ...melts.map((q) => ({ kind: 'melt', ...q }))]
    .sort((a, b) => Number(b.createdAt) - Number(a.createdAt))
    .slice(0, 30)
  fill(
    $('quotes'),
    [['kind'], ['id'], ['amount', 'num'], ['state'], ['age', 'num']],
    all.map((q) => [q.kind, shortId(q.id), formatAmount(q.amount, q.unit), q.state, age(q.createdAt)]),
    ['quote', all.map((q) => q.id)],
  )
}

async function search(text) {
  const hits = await api(`/v1/admin/search?q=${encodeURIComponent(text)}`)
  $('results-panel').hidden = false
  fill(
    $('results'),
    [['kind'], ['id'], ['amount', 'num'], ['state'], ['payment hash'], ['reference'], ['age', 'num']],
    hits.map((h) => [
      h.kind,
      shortId(h.id),
      formatAmount(h.amount, h.unit),
      h.state,
      h.paymentHash ? shortId(h.paymentHash) : '',
      h.reference ?? '',
      age(h.createdAt),
    ]),
    ['hit', hits.map((h) => h.id)],
  )
}

async function refresh() {
  const [balance, flows, all, mints, melts] = await Promise.all([
    api('/v1/admin/balance'),
    api('/v1/admin/flows?hours=48'),
    api('/v1/admin/keysets'),
    api('/v1/admin/quotes?kind=mint&limit=20'),
    api('/v1/admin/quotes?kind=melt&limit=20'),
  ])
  solvency(balance)
  units(balance)
  pending(balance, melts)
  drawChart(flows, Object.keys(balance.units)[0] ?? 'sat')
  keysets(all, balance)
  quotes(mints, melts)
  $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`
  document.body.dataset.loaded = String(Date.now())
}

function forget() {
  sessionStorage.removeItem(KEY)
  token = null
  show()
}

function show() {
  $('login').hidden = !!token
  $('board').hidden = !token
  $('logout').hidden = !token
  $('search-form').hidden = !token
  clearInterval(timer)
  if (!token) return
  refresh().catch((error) => {
    $('updated').textContent = error.message
  })
  timer = setInterval(() => refresh().catch(() => undefined), 10_000)
}

$('login-form').onsubmit = async (event) => {
  event.preventDefault()
  token = $('token').value.trim()
  try {
    await api('/v1/admin/balance')
    sessionStorage.setItem(KEY, token)
    $('login-error').textContent = ''
    show()
  } catch {
    $('login-error').textContent = 'that token was refused'
  }
}
$('search-form').onsubmit = (event) => {
  event.preventDefault()
  const text = $('search').value.trim()
  if (text) search(text).catch((error) => ($('updated').textContent = error.message))
}
$('logout').onclick = forget
window.addEventListener('resize', () => chart?.setSize({ width: chartWidth(), height: CHART_HEIGHT }))
show()
