#!/bin/sh
# Builds the <wl-bar> module into controls/bar/dev/pkg for the gallery, size-optimised as
# `cargo xtask build` does (wasm-opt -Oz before wasm-bindgen), and prints the gzip sizes.
set -eu
cd "$(dirname "$0")/../../.."
cargo build --profile wasm-release --target wasm32-unknown-unknown -p wl-bar
raw=target/wasm32-unknown-unknown/wasm-release/wl_bar.wasm
opt=$(mktemp --suffix=.wasm)
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue --strip-debug --strip-producers "$raw" -o "$opt"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir controls/bar/dev/pkg --out-name wl_bar "$opt"
rm -f "$opt"
for f in controls/bar/dev/pkg/wl_bar_bg.wasm controls/bar/dev/pkg/wl_bar.js; do
  printf '%s: %s bytes, %s gzip -9\n' "$f" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
done
