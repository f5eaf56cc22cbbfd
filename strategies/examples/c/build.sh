#!/bin/sh
# Builds the C example strategies to strategies/build/c/<name>.wasm (+ <name>.json manifest).
# Needs clang and wasm-ld (Debian: clang lld); installs them with apt-get when missing and possible.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out="$root/strategies/build/c"

if ! command -v clang >/dev/null 2>&1 || ! command -v wasm-ld >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "installing clang and lld (apt-get)..." >&2
        apt-get install -y -q clang lld >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q clang lld >/dev/null; }
    else
        echo "clang and wasm-ld are needed: apt-get install clang lld" >&2
        exit 1
    fi
fi

mkdir -p "$out"
for src in "$here"/*.c; do
    name=$(basename "$src" .c)
    clang --target=wasm32 -nostdlib -ffreestanding -fno-builtin -O2 -I "$root/strategies/sdk/c" \
        -Wl,--no-entry -Wl,--export=qt_abi_version -Wl,--export=qt_alloc \
        -Wl,--export=qt_init -Wl,--export=qt_on_bars -Wl,--strip-all \
        -o "$out/$name.wasm" "$src"
    cp "$here/$name.json" "$out/$name.json"
    echo "built strategies/build/c/$name.wasm"
done
