// biome-ignore-all lint/suspicious/noExplicitAny: walking a generated JSON document
import { describe, expect, it } from 'vitest'
import { publicRoutes } from '../public/routes.ts'
import { openApiDocument } from './openapi.ts'

describe('OpenAPI documents', () => {
  it('describe u64 amounts exactly and carry the request schemas the routes validate with', () => {
    const doc = openApiDocument('public', 'test', publicRoutes(['bolt11'], false)) as {
      paths: Record<string, Record<string, any>>
    }
    const swap = doc.paths['/v1/swap']?.post
    const body = swap.requestBody.content['application/json'].schema
    expect(body.required).toEqual(['inputs', 'outputs'])
    expect(body.properties.inputs.items.properties.amount).toMatchObject({
      type: 'integer',
      format: 'uint64',
    })
    expect(swap.responses['400'].content['application/json'].schema.required).toEqual(['detail', 'code'])
    expect(doc.paths['/v1/keys/{id}']?.get.parameters[0]).toMatchObject({ name: 'id', in: 'path' })
  })

  it('mark every admin operation as needing the bearer token', () => {
    const doc = openApiDocument('admin', 'test') as { paths: Record<string, Record<string, any>> }
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods))
    expect(operations.length).toBeGreaterThan(10)
    expect(operations.every((op) => op.security?.[0]?.bearer)).toBe(true)
    const issue = doc.paths['/v1/admin/issue']?.post.requestBody.content['application/json'].schema
    expect(issue.required).toEqual(['amount', 'unit', 'reference'])
  })
})
