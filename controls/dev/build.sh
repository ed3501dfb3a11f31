#!/bin/sh
# Builds the controls module (`wl_controls`: <wl-signin> + <wl-userinfo>, package `wl-controls`)
# into controls/dev/pkg/ for the gallery the way the published package is built (docs/loader.md
# "Building"): wasm-release, then `wasm-opt -Oz` on rustc's output, then `wasm-bindgen --target
# web`; prints its gzip -9 size.
# wasm-opt runs BEFORE wasm-bindgen: Debian's binaryen 108 breaks wasm-bindgen's externref table
# when run after it ("WebAssembly.Table.set(): Argument 1 is invalid for table").
# Usage: controls/dev/build.sh   (from anywhere in the checkout; WASM_OPT=path overrides)
set -eu
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
out="$root/controls/dev/pkg"
tmp=$(mktemp -d)
wasm_opt=${WASM_OPT:-wasm-opt}
cd "$root"
mkdir -p "$out"
rm -f "$out"/wl_signin* "$out"/wl_userinfo*  # the former one-module-per-control files
for crate in wl_controls; do
  cargo build -q --profile wasm-release --target wasm32-unknown-unknown -p "$(echo $crate | tr _ -)"
  src="target/wasm32-unknown-unknown/wasm-release/$crate.wasm"
  if command -v "$wasm_opt" >/dev/null; then
    "$wasm_opt" -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-sign-ext \
      --enable-nontrapping-float-to-int --enable-mutable-globals --enable-reference-types \
      --enable-multivalue -o "$tmp/$crate.wasm" "$src"
    src="$tmp/$crate.wasm"
  else
    echo "warning: no wasm-opt: the wasm stays unoptimised" >&2
  fi
  # No `name`/`producers` sections: wasm-bindgen adds names for its own shims (about 0.4 KB gzip).
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-name "$crate" --out-dir "$out" "$src"
  for cls in WlSignin WlUserinfo; do  # the one module must export both controls
    grep -q "^export class $cls " "$out/$crate.js" || { echo "error: $crate does not export $cls" >&2; exit 1; }
  done
  w=$(gzip -9c "$out/${crate}_bg.wasm" | wc -c)
  j=$(gzip -9c "$out/$crate.js" | wc -c)
  echo "$crate: wasm $(wc -c < "$out/${crate}_bg.wasm") B ($w gzip), js $(wc -c < "$out/$crate.js") B ($j gzip), total gzip $((w + j))"
done
rm -rf "$tmp"
