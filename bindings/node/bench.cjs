// What `unisono validate --format json` does, from Node: for measuring the binding's overhead
// against the CLI on the same files (docs/bindings.md, "Overhead").
//
//     node bench.cjs CATALOG RENDERINGS THREADS [json|objects|async]
'use strict'

const fs = require('node:fs')
const { Catalog, Validator } = require(process.env.UNISONO_PACKAGE || './index.js')

async function main() {
  const [catalogPath, renderingsPath, threads, mode = 'json'] = process.argv.slice(2)
  const catalog = Catalog.fromPath(catalogPath)
  const validator = new Validator(catalog, null, Number(threads))
  const text = fs.readFileSync(renderingsPath, 'utf8')
  const report = mode === 'async' ? await validator.validateAsync(text) : validator.validate(text)
  const size =
    mode === 'objects'
      ? report.findings.reduce((n, f) => n + f.rule.length + f.message.length, 0)
      : JSON.stringify(report).length
  console.error(report.summary, size)
}

main()
