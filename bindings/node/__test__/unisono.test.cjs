// Tests of the installed package (`npm pack`, then `npm install` of the tarball): run with
// `node --test` from a project that depends on it. UNISONO_EXAMPLES names examples/data.
'use strict'

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const unisono = require('unisono')
const { Catalog, Policy, Validator } = unisono

const DATA = process.env.UNISONO_EXAMPLES || path.join(__dirname, '..', '..', '..', 'examples', 'data')
const read = (name) => fs.readFileSync(path.join(DATA, name), 'utf8')
const catalogText = read('catalog.json')
const renderingsText = read('renderings.json')
const renderings = JSON.parse(renderingsText)
const lines = renderings.map((r) => JSON.stringify(r)).join('\n')
const catalog = Catalog.fromJson(catalogText)
const policy = Policy.fromJson(read('policy.json'))
const validator = new Validator(catalog, policy)
const report = validator.validate(renderingsText)

test('an offer with the contract fields', () => {
  const offer = catalog.offer('LAPTOP-14', 'web-it', new Date('2026-11-28T09:00:00Z'))
  assert.equal(offer.sku, 'LAPTOP-14')
  assert.equal(offer.at, '2026-11-28T10:00:00+01:00')
  assert.equal(offer.regular_price, '899.00 EUR')
  assert.equal(offer.price, '719.20 EUR')
  assert.equal(offer.prior_price, '899.00 EUR')
  assert.deepEqual(offer.promotions, ['BF26'])
  assert.equal(offer.valid_until, '2026-12-01T00:00:00+01:00')
  assert.deepEqual(catalog.offer('LAPTOP-14', 'web-it', '2026-11-28T10:00:00+01:00'), offer)
})

test('an instant without an offset is refused', () => {
  assert.throws(() => catalog.offer('LAPTOP-14', 'web-it', '2026-11-28T10:00:00'), /at: /)
})

test('no offer is an UNISONO_OFFER error with a reason', () => {
  assert.throws(() => catalog.offer('NOPE', 'web-it', new Date('2026-11-28T09:00:00Z')), (e) => {
    assert.equal(e.code, 'UNISONO_OFFER')
    assert.equal(e.reason, 'unknown_product')
    return e instanceof Error
  })
})

test('catalog errors carry line, column, path and problems', () => {
  assert.throws(() => Catalog.fromJson('{"markets": [{"id": "IT", "currency": 5}]}'), (e) => {
    assert.equal(e.code, 'UNISONO_CATALOG')
    assert.equal(e.line, 1)
    assert.equal(e.path, 'markets[0].currency')
    assert.ok(e.column > 0)
    assert.equal(e.problems.length, 1)
    return true
  })
  const broken = catalogText.replace('"899.00 EUR"', '"899.00 USD"')
  assert.throws(() => Catalog.fromJson(broken), (e) => {
    assert.equal(e.line, null)
    assert.ok(e.problems.some((p) => p.kind === 'currency' && /^prices\[\d+\]\.amount$/.test(p.path)))
    return true
  })
})

test('fromPath reads a file, and names a missing one', () => {
  const byPath = Catalog.fromPath(path.join(DATA, 'catalog.json'))
  assert.deepEqual(
    new Validator(byPath, policy).validate(renderingsText),
    report,
  )
  assert.throws(() => Catalog.fromPath(path.join(DATA, 'nope.json')), /nope\.json/)
})

test('the demo report', () => {
  const { summary, findings } = report
  assert.equal(summary.renderings, 51)
  assert.equal(summary.claims, renderings.reduce((n, r) => n + (r.claims || []).length, 0))
  assert.equal(summary.errors, findings.filter((f) => f.severity === 'error').length)
  assert.equal(summary.warnings, findings.filter((f) => f.severity === 'warning').length)
  const mismatch = findings.find((f) => f.rule === 'price.mismatch')
  assert.equal('source' in mismatch, false)
  assert.deepEqual(mismatch, {
    rule: 'price.mismatch',
    severity: 'error',
    rendering: 'newsletter-48/hero',
    renderings: [],
    channel: 'email-it',
    sku: 'LAPTOP-14',
    claim: 0,
    at: '2026-11-27T07:00:00+01:00',
    expected: '719.20 EUR',
    found: '729.00 EUR',
    message: "email-it shows 729.00 EUR; the catalog's price is 719.20 EUR",
    explanation: ['price 899.00 EUR (IT, from 2026-01-01)', 'promotion BF26 -20% -> 719.20 EUR'],
  })
  const cross = findings.filter((f) => f.rule === 'cross.price_divergence')
  assert.ok(cross.length > 0)
  for (const f of cross) {
    assert.equal(f.rendering, null)
    assert.ok(f.renderings.length >= 2)
  }
})

test('every input form gives the same report', () => {
  assert.deepEqual(validator.validate(lines), report)
  assert.deepEqual(validator.validate(renderings), report)
  assert.deepEqual(new Validator(catalog, policy, 1).validate(lines), report)
})

test('the default policy', () => {
  const byDefault = new Validator(catalog).validate(lines)
  assert.deepEqual(new Validator(catalog, new Policy()).validate(lines), byDefault)
  assert.notDeepEqual(byDefault, report)
})

test('policy errors carry the place', () => {
  assert.throws(() => Policy.fromJson('{\n "low_stock_threshold": "five"}'), (e) => {
    assert.equal(e.code, 'UNISONO_POLICY')
    assert.equal(e.line, 2)
    assert.equal(e.path, 'low_stock_threshold')
    return true
  })
})

const BAD =
  '{"id": "b", "channel": "web-it", "sku": "X", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": 5}]}'

test('input errors name the line or the item', () => {
  assert.throws(() => validator.validate(lines.split('\n')[0] + '\n' + BAD), (e) => {
    assert.equal(e.code, 'UNISONO_INPUT')
    assert.equal(e.line, 2)
    assert.equal(e.path, 'claims[0].price')
    assert.ok(e.column > 0)
    return true
  })
  assert.throws(() => validator.validate([renderings[0], JSON.parse(BAD)]), (e) => {
    assert.equal(e.line, null)
    assert.equal(e.path, '[1].claims[0].price')
    return true
  })
})

test('validateAsync resolves to the same report, off the main thread', async () => {
  const pending = validator.validateAsync(lines)
  assert.ok(pending instanceof Promise)
  assert.deepEqual(await pending, report)
  assert.deepEqual(await validator.validateAsync(renderings), report)
})

test('while validateAsync works, the event loop runs', async () => {
  // No figure is asserted: only that a timer fired before a long validation resolved. Shelf labels
  // and flyers only: the demo policy does not compare their prices, so copies make no cross findings.
  const local = renderings.filter((r) => /^(store|print)-/.test(r.channel)).map((r) => JSON.stringify(r))
  const big = Array(2000).fill(local.join('\n')).join('\n')
  let resolved = false
  const pending = new Validator(catalog, policy, 1).validateAsync(big).then((r) => {
    resolved = true
    return r
  })
  const firedFirst = await new Promise((done) => setImmediate(() => done(!resolved)))
  const result = await pending
  assert.equal(result.summary.renderings, local.length * 2000)
  assert.ok(firedFirst)
})

test('validateAsync rejects with the place', async () => {
  await assert.rejects(validator.validateAsync(lines.split('\n')[0] + '\n' + BAD), /2:\d+: claims\[0\]\.price/)
})

test('the package ships its TypeScript types', () => {
  const types = fs.readFileSync(path.join(path.dirname(require.resolve('unisono')), 'index.d.ts'), 'utf8')
  for (const name of ['class Catalog', 'class Policy', 'class Validator', 'interface Finding', 'interface Report']) {
    assert.ok(types.includes(`export declare ${name}`) || types.includes(`export ${name}`), name)
  }
  assert.match(types, /validateAsync\(renderings: string \| Array<any>\): Promise<Report>/)
})
