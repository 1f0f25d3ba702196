<?php

declare(strict_types=1);

namespace Unisono;

/**
 * A client of `unisono serve` (docs/serve.md), over one curl handle: requests reuse the
 * connection (keep-alive). Every method returns the server's JSON decoded to arrays, and throws
 * ApiException when the server refuses, with the status and where the input is bad.
 *
 *     $unisono = new \Unisono\Client('http://127.0.0.1:8080', getenv('UNISONO_TOKEN') ?: null);
 *     $report = $unisono->validate([$rendering]);
 *     foreach ($report['findings'] as $finding) { echo $finding['message'], "\n"; }
 */
final class Client
{
    private \CurlHandle $curl;
    private ?int $generation = null;

    /**
     * @param string $baseUrl the server, e.g. `http://127.0.0.1:8080`
     * @param ?string $token the bearer token (`--token-file`), or null for a server without one
     * @param float $timeout seconds to wait for an answer
     */
    public function __construct(
        private string $baseUrl,
        private ?string $token = null,
        private float $timeout = 10.0,
    ) {
        $this->baseUrl = rtrim($baseUrl, '/');
        $this->curl = curl_init();
    }

    /**
     * Validates renderings (CONTRACT §3) and returns the report (CONTRACT §4):
     * `['version' => 1, 'summary' => [...], 'findings' => [...]]`.
     *
     * @param array<int, array<string, mixed>> $renderings
     * @return array<string, mixed>
     */
    public function validate(array $renderings): array
    {
        return $this->decode($this->validateJson(self::encode(array_values($renderings))));
    }

    /**
     * Validates renderings given as JSON text (an array, or JSON Lines) and returns the report's
     * bytes, exactly as `unisono validate --format json` prints them.
     */
    public function validateJson(string $renderings): string
    {
        return $this->send('POST', '/v1/validate', $renderings);
    }

    /**
     * The canonical offer of a product on a channel at an instant (CONTRACT §5).
     *
     * @return array<string, mixed>
     */
    public function offer(string $sku, string $channel, \DateTimeInterface|string $at): array
    {
        $body = ['sku' => $sku, 'channel' => $channel, 'at' => self::instant($at)];
        return $this->decode($this->send('POST', '/v1/offer', self::encode($body)));
    }

    /**
     * The offers of a web page as renderings: `['renderings' => [...], 'unread' => [...]]`.
     *
     * @return array<string, mixed>
     */
    public function extractHtml(string $html, string $channel, \DateTimeInterface|string $at, ?string $page = null): array
    {
        $body = ['html' => $html, 'channel' => $channel, 'at' => self::instant($at)];
        if ($page !== null) {
            $body['page'] = $page;
        }
        return $this->decode($this->send('POST', '/v1/extract/html', self::encode($body)));
    }

    /**
     * The claims a text makes: `['claims' => [...], 'unread' => [...]]`.
     *
     * @return array<string, mixed>
     */
    public function extractText(string $text, ?string $locale = null, ?string $today = null): array
    {
        $body = ['text' => $text];
        if ($locale !== null) {
            $body['locale'] = $locale;
        }
        if ($today !== null) {
            $body['today'] = $today;
        }
        return $this->decode($this->send('POST', '/v1/extract/text', self::encode($body)));
    }

    /**
     * Replaces the catalog (CONTRACT §2). Returns `['generation' => N, 'products' => N, 'lints' => [...]]`;
     * a catalog that does not compile throws ApiException (status 422) with its problems, and the
     * old catalog keeps serving.
     *
     * @return array<string, mixed>
     */
    public function replaceCatalog(string $catalogJson): array
    {
        return $this->decode($this->send('PUT', '/v1/catalog', $catalogJson));
    }

    /** @return array{status: string, generation: int} */
    public function health(): array
    {
        return $this->decode($this->send('GET', '/healthz'));
    }

    /** The server's metrics, in Prometheus' text format. */
    public function metrics(): string
    {
        return $this->send('GET', '/metrics');
    }

    /** @return array<string, mixed> the OpenAPI 3.1 document */
    public function openapi(): array
    {
        return $this->decode($this->send('GET', '/openapi.json'));
    }

    /** The catalog generation the last answer was computed on (validate, offer, catalog). */
    public function lastGeneration(): ?int
    {
        return $this->generation;
    }

    private function send(string $method, string $path, ?string $body = null): string
    {
        $headers = ['Content-Type: application/json', 'Expect:'];
        if ($this->token !== null) {
            $headers[] = 'Authorization: Bearer ' . $this->token;
        }
        $this->generation = null;
        $generation = &$this->generation;
        curl_reset($this->curl);
        curl_setopt_array($this->curl, [
            CURLOPT_URL => $this->baseUrl . $path,
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_TIMEOUT_MS => (int) ($this->timeout * 1000),
            CURLOPT_HEADERFUNCTION => static function ($curl, string $line) use (&$generation): int {
                if (stripos($line, 'unisono-catalog-generation:') === 0) {
                    $generation = (int) trim(substr($line, strlen('unisono-catalog-generation:')));
                }
                return strlen($line);
            },
        ]);
        if ($body !== null) {
            curl_setopt($this->curl, CURLOPT_POSTFIELDS, $body);
        }
        $answer = curl_exec($this->curl);
        if ($answer === false) {
            throw new ApiException(0, 'unisono serve at ' . $this->baseUrl . ' did not answer: ' . curl_error($this->curl));
        }
        $status = (int) curl_getinfo($this->curl, CURLINFO_RESPONSE_CODE);
        if ($status !== 200) {
            throw ApiException::fromBody($status, (string) $answer);
        }
        return (string) $answer;
    }

    /** @return array<string, mixed> */
    private function decode(string $json): array
    {
        $value = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
        if (!is_array($value)) {
            throw new ApiException(200, 'the server answered JSON that is not an object');
        }
        return $value;
    }

    private static function encode(mixed $value): string
    {
        return json_encode($value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    }

    private static function instant(\DateTimeInterface|string $at): string
    {
        return $at instanceof \DateTimeInterface ? $at->format(\DateTimeInterface::RFC3339) : $at;
    }
}
