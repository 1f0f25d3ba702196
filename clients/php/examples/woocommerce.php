<?php

declare(strict_types=1);

/*
 * A WooCommerce shop checks its product page against the canonical catalog, as a plugin would
 * from an Action Scheduler job: the product (as the WooCommerce REST API gives it) becomes a
 * rendering, unisono serve validates it, and the findings are printed as admin notices. Then
 * the page's own markup (the JSON-LD WooCommerce prints) is read and checked the same way.
 *
 *     UNISONO_URL=http://127.0.0.1:8080 UNISONO_TOKEN=... php examples/woocommerce.php [INSTANT]
 *
 * The instant defaults to the demo catalog's Black Friday (a plugin passes `new DateTimeImmutable()`).
 */

require __DIR__ . '/../autoload.php';

use Unisono\ApiException;
use Unisono\Client;
use Unisono\WooCommerce;

$unisono = new Client(getenv('UNISONO_URL') ?: 'http://127.0.0.1:8080', getenv('UNISONO_TOKEN') ?: null);
$at = $argv[1] ?? '2026-11-28T10:00:00+01:00';
$channel = 'web-it';

// GET /wp-json/wc/v3/products/42, trimmed to what the page shows. Two mistakes are planted: the
// sale is said to end on 3 December, and the page says "Only 3 left in stock".
$product = [
    'id' => 42,
    'name' => 'Notebook Acme 14',
    'sku' => 'LAPTOP-14',
    'global_unique_id' => '8012345678907',
    'permalink' => 'https://shop.example/it/prodotto/notebook-acme-14/',
    'price' => '719.20',
    'regular_price' => '899.00',
    'sale_price' => '719.20',
    'on_sale' => true,
    'date_on_sale_to' => '2026-12-03T23:59:59',
    'manage_stock' => true,
    'stock_quantity' => 3,
    'stock_status' => 'instock',
];

try {
    $offer = $unisono->offer($product['sku'], $channel, $at);
    printf(
        "catalog (generation %d): %s on %s at %s: price %s, prior price %s, valid until %s, %s (%d available)\n",
        $unisono->lastGeneration(),
        $offer['sku'],
        $offer['channel'],
        $offer['at'],
        $offer['price'],
        $offer['prior_price'] ?? 'none',
        $offer['valid_until'] ?? 'open',
        $offer['availability'],
        $offer['available'],
    );

    $rendering = WooCommerce::rendering($product, $channel, $at, 'EUR', percentOff: 20);
    $report = $unisono->validate([$rendering]);
    printf("product page %s: %d errors, %d warnings\n", $rendering['id'], $report['summary']['errors'], $report['summary']['warnings']);
    foreach (WooCommerce::notices($report) as $notice) {
        echo '  ', $notice, "\n";
    }

    // The same page as Google reads it: the JSON-LD WooCommerce prints in the page's head.
    $page = <<<'HTML'
<html><head><script type="application/ld+json">{"@context":"https://schema.org/","@type":"Product",
"@id":"https://shop.example/it/prodotto/notebook-acme-14/#product","name":"Notebook Acme 14",
"url":"https://shop.example/it/prodotto/notebook-acme-14/","sku":"LAPTOP-14","gtin13":"8012345678907",
"offers":[{"@type":"Offer","price":"729.00","priceValidUntil":"2026-12-31","priceCurrency":"EUR",
"availability":"http://schema.org/InStock","url":"https://shop.example/it/prodotto/notebook-acme-14/"}]}</script>
</head><body><h1 class="product_title">Notebook Acme 14</h1></body></html>
HTML;
    $read = $unisono->extractHtml($page, $channel, $at, 'notebook-acme-14');
    foreach ($read['unread'] as $unread) {
        echo '  unread: ', $unread['source'], ': ', $unread['reason'], "\n";
    }
    $report = $unisono->validate($read['renderings']);
    printf("structured data of the page: %d renderings, %d errors, %d warnings\n", count($read['renderings']), $report['summary']['errors'], $report['summary']['warnings']);
    foreach (WooCommerce::notices($report) as $notice) {
        echo '  ', $notice, "\n";
    }
} catch (ApiException $e) {
    fwrite(STDERR, 'unisono: ' . $e->getMessage() . ($e->path !== null ? ' at ' . $e->path : '') . "\n");
    exit(2);
}
