/**
 * `/docs` on both listeners: a page that renders the listener's OpenAPI document (/openapi.json),
 * with its script and style served beside it, so a Content-Security-Policy of 'self' holds (no
 * inline code, nothing loaded from elsewhere).
 */
import type { Hono } from 'hono'

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.op{border:1px solid #ddd;border-radius:6px;margin:.6rem 0;padding:.4rem .8rem}
.m{display:inline-block;min-width:4rem;font-weight:600;text-transform:uppercase}.get{color:#0a7}.post{color:#06c}.patch{color:#c60}
code{font-size:.95em}pre{background:#f6f6f6;padding:.6rem;overflow:auto;font-size:.85em}summary{cursor:pointer}
`

const SCRIPT = `fetch('/openapi.json').then((r) => r.json()).then((doc) => {
  document.getElementById('about').textContent = doc.info.description + ' (version ' + doc.info.version + ')'
  const ops = document.getElementById('ops')
  ops.textContent = ''
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      const div = document.createElement('div')
      div.className = 'op'
      div.dataset.path = path
      const head = document.createElement('div')
      const verb = document.createElement('span')
      verb.className = 'm ' + method
      verb.textContent = method
      const route = document.createElement('code')
      route.textContent = path
      head.append(verb, ' ', route, ' — ', op.summary)
      div.append(head)
      const request = op.requestBody && op.requestBody.content['application/json'].schema
      const ok = op.responses['200'].content
      const response = ok && ok['application/json'].schema
      for (const [label, schema] of [['request', request], ['response', response]]) {
        if (!schema) continue
        const details = document.createElement('details')
        const summary = document.createElement('summary')
        summary.textContent = label + ' schema'
        const pre = document.createElement('pre')
        pre.textContent = JSON.stringify(schema, null, 2)
        details.append(summary, pre)
        div.append(details)
      }
      ops.append(div)
    }
})
`

export function serveDocs(app: Hono, title: string): void {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/docs/page.css">
</head><body><h1>${title}</h1><p id="about"></p><div id="ops">loading /openapi.json…</div>
<script src="/docs/page.js"></script></body></html>`
  app.get('/docs', (c) => c.html(page))
  app.get('/docs/page.js', (c) => c.body(SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }))
  app.get('/docs/page.css', (c) => c.body(STYLE, 200, { 'content-type': 'text/css; charset=utf-8' }))
}
