#!/usr/bin/env bash
# The C ABI's real clients (issue 7), as .ci/run runs them:
#   1. the checked-in header ffi/include/unisono.h is what cbindgen generates now;
#   2. cargo build --release -p unisono-ffi (with -p unisono-cli: see there);
#   3. the C client, compiled with gcc -Wall -Wextra -Werror against the header, run linked to the
#      shared library and to the static one, then under valgrind: any invalid access or leak
#      (definite, indirect, possible) fails;
#   4. the Python ctypes test module;
#   5. the PHP 8 FFI client, shaped like a shop plugin.
# Installs what is missing from Debian's packages (cbindgen, php-cli, valgrind, gcc, python3).
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
started=$(date +%s)

step() { printf '\n-- ffi: %s\n' "$*"; }

step "tools"
missing=()
command -v cbindgen > /dev/null || missing+=(cbindgen)
command -v php > /dev/null || missing+=(php-cli)
command -v valgrind > /dev/null || missing+=(valgrind)
command -v gcc > /dev/null || missing+=(gcc libc6-dev)
command -v python3 > /dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
cbindgen --version
php --version | head -n 1
valgrind --version
gcc --version | head -n 1
python3 --version
if ! php -m | grep -qx FFI; then
    echo "PHP's FFI extension is not available (php -m does not list FFI)" >&2
    exit 1
fi

step "header up to date (cbindgen)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cbindgen --quiet --config ffi/cbindgen.toml --output "$scratch/unisono.h" ffi
if ! diff -u ffi/include/unisono.h "$scratch/unisono.h"; then
    echo "ffi/include/unisono.h is stale: regenerate it with" >&2
    echo "  cbindgen --config ffi/cbindgen.toml --output ffi/include/unisono.h ffi" >&2
    exit 1
fi
echo "ffi/include/unisono.h is what cbindgen generates"

step "cargo build --release -p unisono-ffi"
# With the CLI beside it: cargo then builds unisono with the CLI's features, the very build that
# .ci/run's demo step has just made, and only compiles unisono-ffi (alone, it would compile unisono
# again without features: 1.5 minutes more on CI's 2 cores). The features only add modules
# (extract, testing, parallel streaming); validate_all and offer are the same code either way.
cargo build --release -p unisono-ffi -p unisono-cli
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
library="$target/release/libunisono_ffi.so"
test -f "$library"

step "C client (gcc against the header)"
gcc -std=c11 -O1 -g -Wall -Wextra -Werror -I ffi/include ffi/clients/c/client.c \
    -L "$target/release" -lunisono_ffi -Wl,-rpath,"$target/release" -lpthread \
    -o "$scratch/unisono-client"
"$scratch/unisono-client" examples/data

step "C client linked statically (libunisono_ffi.a)"
gcc -std=c11 -O1 -Wall -Wextra -Werror -I ffi/include ffi/clients/c/client.c \
    "$target/release/libunisono_ffi.a" -lpthread -ldl -lm -o "$scratch/unisono-client-static"
"$scratch/unisono-client-static" examples/data | tail -n 1

step "C client under valgrind (memcheck: no invalid access, no leak)"
valgrind --quiet --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
    "$scratch/unisono-client" examples/data > "$scratch/valgrind.out"
echo "valgrind: no error, no leak"

step "Python client (ctypes)"
if ! PYTHONDONTWRITEBYTECODE=1 UNISONO_FFI_LIB="$library" python3 -m unittest -v ffi/clients/python/test_unisono.py \
    > "$scratch/python.out" 2>&1; then
    cat "$scratch/python.out"
    exit 1
fi
tail -n 3 "$scratch/python.out"

step "PHP client (FFI, a shop plugin's call)"
php -d ffi.enable=1 ffi/clients/php/shop_plugin.php "$library" examples/data

step "ok ($(($(date +%s) - started)) s)"
