/**
 * The operator's dashboard on the admin listener: one page, its script (dashboard-client.js) and
 * uPlot for the chart, all served from here (nothing loaded from elsewhere). It holds no data
 * itself: it asks for the admin token, keeps it for the browser tab only (sessionStorage), and reads
 * the admin API every 10 seconds. Laid out to be read in five seconds on a laptop (1280 px) and on
 * a phone (390 px): at most two screens tall, tables scroll inside their panels.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Hono } from 'hono'

const require = createRequire(import.meta.url)
const read = (path: string) => readFileSync(path, 'utf8')

const STYLE = `
*{box-sizing:border-box}body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f2f2f5}
header{background:#1d1d1f;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header h1{font-size:1rem;margin:0;flex:1 0 auto}header form{display:flex;gap:.3rem;flex:1 1 16rem;max-width:28rem}
header input{flex:1;min-width:0;padding:.25rem .4rem;border-radius:4px;border:0}
main{padding:.8rem;display:grid;gap:.8rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,24rem),1fr))}
section{background:#fff;border-radius:8px;padding:.6rem .8rem;box-shadow:0 1px 2px #0001;min-width:0}
section.wide{grid-column:span 2}@media (max-width:820px){section.wide{grid-column:auto}}
h2{font-size:.85rem;margin:0 0 .4rem;color:#555;text-transform:uppercase;letter-spacing:.03em}
h3{font-size:.8rem;margin:.3rem 0 0;color:#333}#solvency>div+div{border-top:1px solid #eee;margin-top:.4rem}
.scroll{overflow:auto;max-height:11rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.15rem .3rem;border-bottom:1px solid #eee;white-space:nowrap;font-variant-numeric:tabular-nums}
th{position:sticky;top:0;background:#fff;font-weight:600;color:#555}td.num,th.num{text-align:right}
td button{font-size:.8rem;padding:0 .3rem}.ok{color:#0a7}.bad{color:#c00;font-weight:600}.muted{color:#888}button{cursor:pointer}
.big{font-size:1.35rem;font-weight:600}.row{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem}
.id{font-family:ui-monospace,monospace}.copy{border:0;background:none;padding:0 .3rem;color:#06c;font-size:.75rem}
#login{max-width:26rem;margin:4rem auto;background:#fff;padding:1.2rem;border-radius:8px}
#login input{width:100%;margin:.5rem 0;padding:.4rem}#chart{min-height:12rem}
`

/** The page: the panels' frames, filled in by the script. */
function dashboardPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cashu-mint dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/dashboard/uplot.css"><link rel="stylesheet" href="/dashboard/app.css"></head><body>
<header><h1>cashu-mint</h1>
<form id="search-form" hidden><input id="search" type="search" placeholder="quote id, payment hash or reference" aria-label="search"><button>Find</button></form>
<span id="updated" class="muted"></span><button id="logout" hidden>forget token</button></header>
<div id="login" hidden><h2>Admin token</h2><p class="muted">From CASHU_MINT_ADMIN_TOKEN or &lt;data dir&gt;/admin-token. Kept in this tab only.</p>
<form id="login-form"><input id="token" type="password" autocomplete="off" placeholder="admin token"><button>Open</button></form><p id="login-error" class="bad"></p></div>
<main id="board" hidden>
<section id="results-panel" class="wide" hidden><h2>Search</h2><div class="scroll"><table id="results"></table></div></section>
<section><h2>Solvency</h2><div id="solvency"></div></section>
<section><h2>Ecash by unit</h2><div class="scroll"><table id="units"></table></div></section>
<section><h2>Pending melts</h2><div id="pending"></div></section>
<section class="wide"><h2>Issued and redeemed per hour, last 48 h</h2><div id="chart"></div><div id="chart-totals" class="row muted"></div></section>
<section><h2>Keysets</h2><div class="scroll"><table id="keysets"></table></div></section>
<section class="wide"><h2>Recent quotes</h2><div class="scroll"><table id="quotes"></table></div></section>
</main>
<script src="/dashboard/uplot.js"></script><script src="/dashboard/app.js"></script>
</body></html>`
}

/** Serves the page and its four files on the admin listener (no token: the page asks for it). */
export function serveDashboard(app: Hono): void {
  const script = read(new URL('./dashboard-client.js', import.meta.url).pathname)
  const uplot = read(require.resolve('uplot/dist/uPlot.iife.min.js'))
  const uplotStyle = read(require.resolve('uplot/dist/uPlot.min.css'))
  const page = dashboardPage()
  const js = { 'content-type': 'text/javascript; charset=utf-8' }
  app.get('/dashboard', (c) => c.html(page))
  app.get('/dashboard/app.js', (c) => c.body(script, 200, js))
  app.get('/dashboard/uplot.js', (c) => c.body(uplot, 200, js))
  const css = { 'content-type': 'text/css; charset=utf-8' }
  app.get('/dashboard/uplot.css', (c) => c.body(uplotStyle, 200, css))
  app.get('/dashboard/app.css', (c) => c.body(STYLE, 200, css))
}
