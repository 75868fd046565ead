// Prints vitest's JSON results as one closing line, "Tests: N passed, N failed, N skipped", which CI
// reads; exits non-zero when a test failed or none ran.
import { readFileSync } from 'node:fs'

interface VitestJson {
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  numTodoTests: number
  numTotalTests: number
}

const file = process.argv[2] ?? 'test-results.json'
const results = JSON.parse(readFileSync(file, 'utf8')) as VitestJson
const skipped = results.numPendingTests + results.numTodoTests
console.log(`Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`)
if (results.numFailedTests > 0 || results.numPassedTests === 0) process.exitCode = 1
