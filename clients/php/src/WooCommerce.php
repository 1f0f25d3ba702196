<?php

declare(strict_types=1);

namespace Unisono;

/**
 * What a WooCommerce product page shows, as a unisono rendering (CONTRACT §3).
 *
 * The product is the array of the WooCommerce REST API (`GET /wp-json/wc/v3/products/<id>`), or
 * the same fields read from a `WC_Product` (`get_price()`, `get_regular_price()`, ...). A product
 * page shows:
 * - the price (`price`), and when the product is on sale the regular price struck through: in
 *   the EU that struck-through price is a prior price (Omnibus), so it becomes a
 *   `reference_price` claim and unisono checks it is the lowest of the last 30 days;
 * - a sale badge with a percentage, when the theme shows one (`$percentOff`);
 * - the end of the sale (`date_on_sale_to`, shown by countdown plugins) as `valid_until`;
 * - the stock: "In stock", "Out of stock", "Available on backorder", and "Only N left in stock"
 *   when stock is managed;
 * - the title and the GTIN (`global_unique_id`, WooCommerce 9.2+).
 */
final class WooCommerce
{
    /**
     * @param array<string, mixed> $product a product of the WooCommerce REST API
     * @param string $channel the unisono channel of the shop (e.g. `web-it`)
     * @param \DateTimeInterface|string $at when the page is shown
     * @param string $currency the shop's currency (`get_woocommerce_currency()`)
     * @param ?int $percentOff the percentage the sale badge shows, if the theme shows one
     * @return array<string, mixed> the rendering
     */
    public static function rendering(
        array $product,
        string $channel,
        \DateTimeInterface|string $at,
        string $currency,
        ?int $percentOff = null,
    ): array {
        $money = static fn (string $amount): string => $amount . ' ' . $currency;
        $claims = [];
        if (($product['price'] ?? '') !== '') {
            $claims[] = ['price' => $money((string) $product['price']), 'source' => 'p.price ins'];
        }
        if (!empty($product['on_sale']) && ($product['regular_price'] ?? '') !== '') {
            $claims[] = ['reference_price' => $money((string) $product['regular_price']), 'source' => 'p.price del'];
        }
        if ($percentOff !== null) {
            $claims[] = ['percent_off' => (string) $percentOff, 'source' => 'span.onsale'];
        }
        if (!empty($product['on_sale']) && !empty($product['date_on_sale_to'])) {
            // WooCommerce stores the last day of the sale at 23:59:59 shop time: the date is what is shown.
            $claims[] = ['valid_until' => substr((string) $product['date_on_sale_to'], 0, 10), 'source' => '.sale-countdown'];
        }
        $availability = match ($product['stock_status'] ?? 'instock') {
            'outofstock' => 'out_of_stock',
            'onbackorder' => 'backorder',
            default => 'in_stock',
        };
        $claims[] = ['availability' => $availability, 'source' => 'p.stock'];
        if (!empty($product['manage_stock']) && isset($product['stock_quantity']) && $availability === 'in_stock') {
            $claims[] = ['stock_quantity' => (int) $product['stock_quantity'], 'source' => 'p.stock'];
        }
        if (($product['name'] ?? '') !== '') {
            $claims[] = ['title' => (string) $product['name'], 'source' => 'h1.product_title'];
        }
        if (($product['global_unique_id'] ?? '') !== '') {
            $claims[] = ['gtin' => (string) $product['global_unique_id'], 'source' => 'global_unique_id'];
        }
        return [
            'id' => (string) ($product['permalink'] ?? ('product/' . ($product['id'] ?? $product['sku']))),
            'channel' => $channel,
            'sku' => (string) $product['sku'],
            'shown' => ['at' => $at instanceof \DateTimeInterface ? $at->format(\DateTimeInterface::RFC3339) : $at],
            'claims' => $claims,
        ];
    }

    /**
     * One line per finding, as a shop's admin notice or log would show it:
     * `error price.mismatch (claim 0): web-it shows 729.00 EUR; the catalog's price is 719.20 EUR`.
     *
     * @param array<string, mixed> $report a report (CONTRACT §4)
     * @return list<string>
     */
    public static function notices(array $report): array
    {
        $lines = [];
        foreach ($report['findings'] as $finding) {
            $claim = isset($finding['claim']) ? ' (claim ' . $finding['claim'] . ')' : '';
            $line = $finding['severity'] . ' ' . $finding['rule'] . $claim . ': ' . $finding['message'];
            foreach ($finding['explanation'] ?? [] as $why) {
                $line .= "\n    because: " . $why;
            }
            $lines[] = $line;
        }
        return $lines;
    }
}
