<?php

declare(strict_types=1);

namespace Unisono;

/**
 * A request the server refused, or could not be reached: the HTTP status (0 when no answer came),
 * the message, and where the input is bad (inputLine, inputColumn, JSON path), as the server's JSON error
 * says it. A refused catalog also carries its problems.
 */
final class ApiException extends \RuntimeException
{
    /**
     * @param array<int, array{path: string, message: string}> $problems
     */
    public function __construct(
        public readonly int $status,
        string $message,
        public readonly ?int $inputLine = null,
        public readonly ?int $inputColumn = null,
        public readonly ?string $path = null,
        public readonly array $problems = [],
    ) {
        parent::__construct($status > 0 ? "HTTP $status: $message" : $message, $status);
    }

    /** The exception for a refusal's JSON body (`{"status": 400, "error": ..., "line": ...}`). */
    public static function fromBody(int $status, string $body): self
    {
        $error = json_decode($body, true);
        if (!is_array($error) || !isset($error['error'])) {
            return new self($status, 'the server answered with status ' . $status . ': ' . substr($body, 0, 200));
        }
        return new self(
            $status,
            (string) $error['error'],
            isset($error['line']) ? (int) $error['line'] : null,
            isset($error['column']) ? (int) $error['column'] : null,
            isset($error['path']) ? (string) $error['path'] : null,
            $error['problems'] ?? [],
        );
    }
}
