<?php

declare(strict_types=1);

// Loads the client without Composer (Composer users: `require 'vendor/autoload.php'`).
spl_autoload_register(static function (string $class): void {
    $prefix = 'Unisono\\';
    if (str_starts_with($class, $prefix)) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
