#!/bin/sh
# Builds the two control modules into controls/dev/pkg/ for the gallery, exactly as the
# published package does (wasm-release, wasm-bindgen --target web, wasm-opt -Oz), and prints
# the gzip -9 size of each module (JS glue + wasm).
# Usage: controls/dev/build.sh   (from anywhere in the checkout)
set -eu
# Debian bookworm's binaryen 108 mis-links wasm-bindgen's externref table (the module then fails
# with "WebAssembly.Table.set(): Argument 1 is invalid"); use a newer wasm-opt, e.g. from npm:
#   npm install --prefix /tmp/binaryen binaryen && WASM_OPT=/tmp/binaryen/node_modules/.bin/wasm-opt
wasm_opt=${WASM_OPT:-wasm-opt}
opt_version=$("$wasm_opt" --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p')
if [ "${opt_version:-0}" -lt 116 ]; then
  echo "warning: wasm-opt ${opt_version:-missing} is too old (< 116): the wasm stays unoptimised" >&2
  wasm_opt=""
fi
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
out="$root/controls/dev/pkg"
cd "$root"
for crate in wl_signin wl_userinfo; do
  cargo build -q --profile wasm-release --target wasm32-unknown-unknown -p "$(echo $crate | tr _ -)"
  wasm-bindgen --target web --out-dir "$out" \
    "target/wasm32-unknown-unknown/wasm-release/$crate.wasm" 2>/dev/null
  [ -n "$wasm_opt" ] && "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue "$out/${crate}_bg.wasm" -o "$out/${crate}_bg.wasm"
  w=$(gzip -9c "$out/${crate}_bg.wasm" | wc -c)
  j=$(gzip -9c "$out/$crate.js" | wc -c)
  echo "$crate: wasm $(wc -c < "$out/${crate}_bg.wasm") B ($w gzip), js $(wc -c < "$out/$crate.js") B ($j gzip), total gzip $((w + j))"
done
