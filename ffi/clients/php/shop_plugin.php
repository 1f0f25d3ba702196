<?php
// How a shop plugin (WooCommerce, Magento, PrestaShop, Shopware, Sylius) calls unisono in-process
// through PHP's FFI extension: load the catalog once, then check what a product page shows.
//
//   php ffi/clients/php/shop_plugin.php LIBUNISONO_FFI_SO [EXAMPLES_DATA_DIR]
//
// Prints the findings for the product page, then the demo's summary; exits 1 when a result is not
// the one expected (CI runs it: ffi/clients/run.sh).

declare(strict_types=1);

/** The C ABI behind a PHP face: JSON in, arrays out, every string freed. */
final class Unisono
{
    private FFI $ffi;
    /** @var FFI\CData|null the catalog handle, freed with the object */
    private $catalog = null;

    public function __construct(string $library, string $header)
    {
        $this->ffi = FFI::cdef(self::declarations($header), $library);
    }

    /**
     * PHP's FFI parses declarations, not the preprocessor: drop the C++ guard and every directive.
     */
    private static function declarations(string $header): string
    {
        $text = file_get_contents($header);
        if ($text === false) {
            throw new RuntimeException("cannot read $header");
        }
        $text = preg_replace('/^#ifdef __cplusplus$.*?^#endif.*?$/ms', '', $text);
        return preg_replace('/^\s*#.*$/m', '', $text);
    }

    public function version(): string
    {
        return $this->take($this->ffi->unisono_version());
    }

    /** Loads and compiles the catalog, once per request (or once per worker). */
    public function loadCatalog(string $json): void
    {
        $error = $this->ffi->new('char *');
        $handle = $this->ffi->unisono_catalog_load($json, strlen($json), FFI::addr($error));
        if ($handle === null) {
            $document = json_decode($this->take($error), true, 512, JSON_THROW_ON_ERROR);
            throw new UnisonoError($document['error']);
        }
        $this->freeCatalog();
        $this->catalog = $handle;
    }

    /**
     * @param array<int, array<string, mixed>> $renderings what channels show (CONTRACT §3)
     * @return array<string, mixed> the report (CONTRACT §4)
     */
    public function validate(array $renderings, ?string $policy = null): array
    {
        $json = json_encode($renderings, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
        $report = $this->ffi->unisono_validate(
            $this->catalog,
            $json,
            strlen($json),
            $policy,
            $policy === null ? 0 : strlen($policy)
        );
        return $this->document($report);
    }

    /** @return array<string, mixed> the offer (CONTRACT §5) */
    public function offer(string $sku, string $channel, string $at): array
    {
        return $this->document($this->ffi->unisono_offer($this->catalog, $sku, $channel, $at));
    }

    public function __destruct()
    {
        $this->freeCatalog();
    }

    private function freeCatalog(): void
    {
        if ($this->catalog !== null) {
            $this->ffi->unisono_catalog_free($this->catalog);
            $this->catalog = null;
        }
    }

    /** @return array<string, mixed> */
    private function document(FFI\CData $string): array
    {
        $document = json_decode($this->take($string), true, 512, JSON_THROW_ON_ERROR);
        if (isset($document['error'])) {
            throw new UnisonoError($document['error']);
        }
        return $document;
    }

    /** Copies a string unisono returned into PHP, and frees it. */
    private function take(FFI\CData $string): string
    {
        try {
            return FFI::string($string);
        } finally {
            $this->ffi->unisono_string_free($string);
        }
    }
}

/** An error document from unisono: `kind` for programs, the message for people. */
final class UnisonoError extends RuntimeException
{
    /** @param array<string, mixed> $error */
    public function __construct(public readonly array $error)
    {
        parent::__construct("{$error['kind']}: {$error['message']}");
    }
}

function check(bool $condition, string $what): void
{
    if (!$condition) {
        fwrite(STDERR, "FAILED: $what\n");
        exit(1);
    }
}

$library = $argv[1] ?? null;
if ($library === null) {
    fwrite(STDERR, "usage: php shop_plugin.php LIBUNISONO_FFI_SO [EXAMPLES_DATA_DIR]\n");
    exit(2);
}
$data = $argv[2] ?? __DIR__ . '/../../../examples/data';
$unisono = new Unisono($library, __DIR__ . '/../../include/unisono.h');
echo "unisono ", $unisono->version(), " via PHP ", PHP_VERSION, " FFI\n";

// Once: the catalog the shop exports, and its policy.
$unisono->loadCatalog(file_get_contents("$data/catalog.json"));
$policy = file_get_contents("$data/policy.json");

// On each product page render: what the theme prints, as the plugin extracted it from the page.
$page = [
    'id' => 'https://shop.example/it/notebook-acme-14',
    'channel' => 'web-it',
    'sku' => 'LAPTOP-14',
    'shown' => ['at' => '2026-11-28T10:00:00+01:00'],
    'claims' => [
        ['price' => '729.00 EUR', 'source' => '.product .price ins'],
        ['reference_price' => '899.00 EUR', 'source' => '.product .price del'],
        ['percent_off' => '20', 'source' => '.onsale'],
        ['availability' => 'in_stock', 'source' => '.stock'],
        ['title' => 'Notebook Acme 14', 'source' => 'h1.product_title'],
    ],
];
$report = $unisono->validate([$page], $policy);
echo "\nproduct page {$page['id']}:\n";
foreach ($report['findings'] as $finding) {
    printf(
        "  %-7s %-22s claim %d (%s): %s\n",
        $finding['severity'],
        $finding['rule'],
        $finding['claim'],
        $page['claims'][$finding['claim']]['source'] ?? '-',
        $finding['message']
    );
}
check(
    array_column($report['findings'], 'rule') === ['price.mismatch'],
    'the page shows 729.00 EUR where the catalog says 719.20 EUR: one price.mismatch, got '
        . json_encode(array_column($report['findings'], 'rule'))
);
check($report['findings'][0]['expected'] === '719.20 EUR', 'the expected price');

$offer = $unisono->offer('LAPTOP-14', 'web-it', '2026-11-28T10:00:00+01:00');
echo "  the catalog's offer: {$offer['price']} (was {$offer['prior_price']}), {$offer['availability']}\n";
check($offer['price'] === '719.20 EUR' && $offer['prior_price'] === '899.00 EUR', 'the offer');

// The whole demo, as a nightly job of the plugin would send it.
$renderings = json_decode(file_get_contents("$data/renderings.json"), true, 512, JSON_THROW_ON_ERROR);
$summary = $unisono->validate($renderings, $policy)['summary'];
printf(
    "\ndemo: %d renderings, %d claims: %d errors, %d warnings, %d infos\n",
    $summary['renderings'],
    $summary['claims'],
    $summary['errors'],
    $summary['warnings'],
    $summary['infos']
);
check($summary['renderings'] === 51 && $summary['errors'] > 0, 'the demo summary');

// Errors are exceptions with the error document's fields.
try {
    $unisono->offer('NOPE', 'web-it', '2026-11-28T10:00:00+01:00');
    check(false, 'an unknown SKU is an error');
} catch (UnisonoError $e) {
    echo "unknown SKU: ", $e->getMessage(), "\n";
    check($e->error['kind'] === 'unknown_product' && $e->error['sku'] === 'NOPE', 'unknown_product');
}
try {
    $unisono->loadCatalog('{"markets": [{"id": "IT", "curency": "EUR"}]}');
    check(false, 'a bad catalog is an error');
} catch (UnisonoError $e) {
    echo "bad catalog: ", $e->getMessage(), "\n";
    check($e->error['kind'] === 'catalog_syntax' && $e->error['path'] === 'markets[0].curency', 'catalog_syntax');
}
echo "php client: ok\n";
