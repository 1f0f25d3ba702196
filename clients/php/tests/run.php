<?php

declare(strict_types=1);

/*
 * The PHP client's tests: plain PHP, no Composer download needed. The WooCommerce mapping is
 * tested alone; the client is tested against a running `unisono serve` of the demo catalog:
 *
 *     UNISONO_URL=http://127.0.0.1:8080 UNISONO_TOKEN=... php tests/run.php
 *
 * UNISONO_CLI_REPORT, if set, names the file `unisono validate --format json` printed for the demo
 * renderings: the client's bytes must be the same. Exits 1 if a test fails.
 */

require __DIR__ . '/../autoload.php';

use Unisono\ApiException;
use Unisono\Client;
use Unisono\WooCommerce;

$failures = 0;
$passed = 0;

function check(bool $condition, string $what): void
{
    if (!$condition) {
        throw new \LogicException($what);
    }
}

function same(mixed $expected, mixed $actual, string $what): void
{
    if ($expected !== $actual) {
        throw new \LogicException($what . ': expected ' . var_export($expected, true) . ', got ' . var_export($actual, true));
    }
}

/** The exception `$call` throws; fails if it throws none. */
function refusal(callable $call): ApiException
{
    try {
        $call();
    } catch (ApiException $e) {
        return $e;
    }
    throw new \LogicException('expected the server to refuse');
}

function test(string $name, callable $body): void
{
    global $failures, $passed;
    try {
        $body();
        $passed++;
        echo "ok   $name\n";
    } catch (\Throwable $e) {
        $failures++;
        echo "FAIL $name: ", $e->getMessage(), "\n";
    }
}

$root = dirname(__DIR__, 3);
$at = '2026-11-28T10:00:00+01:00';
$laptop = [
    'id' => 'web/laptop', 'channel' => 'web-it', 'sku' => 'LAPTOP-14', 'shown' => ['at' => $at],
    'claims' => [['price' => '719.20 EUR'], ['reference_price' => '899.00 EUR'], ['percent_off' => '20']],
];

test('a WooCommerce product becomes a rendering', function () use ($at): void {
    $rendering = WooCommerce::rendering([
        'id' => 7, 'sku' => 'MUG', 'name' => 'Mug', 'price' => '8.00', 'regular_price' => '10.00',
        'on_sale' => true, 'date_on_sale_to' => '2026-11-30T23:59:59', 'manage_stock' => true,
        'stock_quantity' => 4, 'stock_status' => 'instock',
    ], 'web-it', $at, 'EUR', 20);
    same([
        'id' => 'product/7', 'channel' => 'web-it', 'sku' => 'MUG', 'shown' => ['at' => $at],
        'claims' => [
            ['price' => '8.00 EUR', 'source' => 'p.price ins'],
            ['reference_price' => '10.00 EUR', 'source' => 'p.price del'],
            ['percent_off' => '20', 'source' => 'span.onsale'],
            ['valid_until' => '2026-11-30', 'source' => '.sale-countdown'],
            ['availability' => 'in_stock', 'source' => 'p.stock'],
            ['stock_quantity' => 4, 'source' => 'p.stock'],
            ['title' => 'Mug', 'source' => 'h1.product_title'],
        ],
    ], $rendering, 'the rendering');
    $rendering = WooCommerce::rendering(['sku' => 'MUG', 'price' => '10.00', 'stock_status' => 'onbackorder'], 'web-it', $at, 'EUR');
    same([['price' => '10.00 EUR', 'source' => 'p.price ins'], ['availability' => 'backorder', 'source' => 'p.stock']], $rendering['claims'], 'no sale, on backorder');
});

test('findings read as notices', function (): void {
    $report = ['findings' => [['rule' => 'price.mismatch', 'severity' => 'error', 'claim' => 0, 'message' => 'web-it shows 1 EUR', 'explanation' => ['price 2 EUR']]]];
    same(["error price.mismatch (claim 0): web-it shows 1 EUR\n    because: price 2 EUR"], WooCommerce::notices($report), 'the notices');
});

$url = getenv('UNISONO_URL');
$token = getenv('UNISONO_TOKEN') ?: null;
if ($url === false || $url === '') {
    echo "skip the server's tests: UNISONO_URL is not set\n";
} else {
    $unisono = new Client($url, $token);

    test('healthz answers without a token', function () use ($url): void {
        $health = (new Client($url))->health();
        same('ok', $health['status'], 'status');
        check(is_int($health['generation']) && $health['generation'] >= 1, 'a generation');
    });

    test('validate: a true rendering has no finding', function () use ($unisono, $laptop): void {
        $report = $unisono->validate([$laptop]);
        same(1, $report['version'], 'version');
        same(['renderings' => 1, 'claims' => 3, 'errors' => 0, 'warnings' => 0, 'infos' => 0], $report['summary'], 'summary');
        same([], $report['findings'], 'findings');
        check(is_int($unisono->lastGeneration()), 'the generation header');
    });

    test('validate: a wrong price is a price.mismatch that explains itself', function () use ($unisono, $laptop): void {
        $laptop['claims'] = [['price' => '729.00 EUR']];
        $report = $unisono->validate([$laptop]);
        same(1, $report['summary']['errors'], 'errors');
        $finding = $report['findings'][0];
        same('price.mismatch', $finding['rule'], 'rule');
        same('719.20 EUR', $finding['expected'], 'expected');
        same('729.00 EUR', $finding['found'], 'found');
        same(['price 899.00 EUR (IT, from 2026-01-01)', 'promotion BF26 -20% -> 719.20 EUR'], $finding['explanation'], 'explanation');
    });

    test('validate: the bytes are the CLI\'s', function () use ($unisono, $root): void {
        $expected = getenv('UNISONO_CLI_REPORT');
        if ($expected === false || $expected === '') {
            echo "     (UNISONO_CLI_REPORT is not set: only the JSON Lines form is compared with the array form)\n";
        }
        $array = file_get_contents($root . '/examples/data/renderings.json');
        $bytes = $unisono->validateJson($array);
        $lines = implode("\n", array_map(
            static fn ($r) => json_encode($r, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE),
            json_decode($array, true),
        )) . "\n";
        same($bytes, $unisono->validateJson($lines), 'JSON Lines and the array give one report');
        if ($expected !== false && $expected !== '') {
            same(file_get_contents($expected), $bytes, 'the report');
        }
    });

    test('validate: a bad rendering is refused at its path', function () use ($unisono, $laptop): void {
        $laptop['claims'] = [['price' => 719.2]];
        $e = refusal(fn () => $unisono->validate([$laptop]));
        same(400, $e->status, 'status');
        same('[0].claims[0].price', $e->path, 'path');
        same(1, $e->inputLine, 'line');
        $e = refusal(fn () => $unisono->validateJson("[{\"id\": \n"));
        same(400, $e->status, 'status');
        same(2, $e->inputLine, 'line');
    });

    test('offer: the canonical offer', function () use ($unisono, $at): void {
        $offer = $unisono->offer('LAPTOP-14', 'web-it', new \DateTimeImmutable($at));
        same('719.20 EUR', $offer['price'], 'price');
        same('899.00 EUR', $offer['prior_price'], 'prior price');
        same(['BF26'], $offer['promotions'], 'promotions');
        same('2026-12-01T00:00:00+01:00', $offer['valid_until'], 'valid until');
        $e = refusal(fn () => $unisono->offer('NOPE', 'web-it', $at));
        same(422, $e->status, 'status');
        same('sku', $e->path, 'path');
    });

    test('extract: text and a page', function () use ($unisono, $at): void {
        $read = $unisono->extractText('-20% su 1.299 €', 'it');
        same([['percent_off' => '20', 'source' => '0..4'], ['price' => '1299.00 EUR', 'source' => '8..17']], $read['claims'], 'claims');
        $page = '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product", "sku": "LAPTOP-14", "offers": {"@type": "Offer", "price": "719.20", "priceCurrency": "EUR"}}</script>';
        $read = $unisono->extractHtml($page, 'web-it', $at, 'p');
        same(1, count($read['renderings']), 'renderings');
        same('LAPTOP-14', $read['renderings'][0]['sku'], 'sku');
        same(0, $unisono->validate($read['renderings'])['summary']['errors'], 'no error');
    });

    test('a wrong or missing token is refused with 401', function () use ($url, $token): void {
        if ($token === null) {
            echo "     (the server has no token)\n";
            return;
        }
        same(401, refusal(fn () => (new Client($url, $token . 'x'))->offer('LAPTOP-14', 'web-it', '2026-11-28T10:00:00+01:00'))->status, 'wrong');
        same(401, refusal(fn () => (new Client($url))->metrics())->status, 'missing');
    });

    test('catalog: a broken one is refused with its problems, a good one swapped in', function () use ($unisono, $root): void {
        $catalog = file_get_contents($root . '/examples/data/catalog.json');
        $before = $unisono->health()['generation'];
        $broken = preg_replace('/"amount": "899.00 EUR"/', '"amount": "899.00 USD"', $catalog, 1);
        $e = refusal(fn () => $unisono->replaceCatalog($broken));
        same(422, $e->status, 'status');
        check(count($e->problems) >= 1, 'problems');
        check(str_starts_with($e->problems[0]['path'], 'prices['), 'a problem at a price: ' . $e->problems[0]['path']);
        same($before, $unisono->health()['generation'], 'the old generation serves');
        $accepted = $unisono->replaceCatalog($catalog);
        same($before + 1, $accepted['generation'], 'the new generation');
        same($before + 1, $unisono->lastGeneration(), 'the generation header');
    });

    test('metrics and the OpenAPI document', function () use ($unisono): void {
        check(str_contains($unisono->metrics(), 'unisono_requests_total{route="/v1/validate",status="200"}'), 'requests counted');
        $openapi = $unisono->openapi();
        same('3.1.0', $openapi['openapi'], 'version');
        check(isset($openapi['paths']['/v1/validate']['post']), '/v1/validate');
    });
}

echo "\n$passed passed, $failures failed\n";
exit($failures === 0 ? 0 : 1);
