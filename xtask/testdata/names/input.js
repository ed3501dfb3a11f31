// The shape of wasm-bindgen 0.2's `--target web` glue for input.wasm.
let wasm;

export function greet(n) {
    wasm.greet(n);
}

export function end() {
    return "a public name that must not change";
}

function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_log_a1b2c3d4e5f60718: function(arg0) {
            console.log(arg0);
        },
        __wbg_now_0123456789abcdef: function() {
            return Date.now();
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.grow(4);
        },
    };
    return {
        __proto__: null,
        "./demo_bg.js": import0,
    };
}

function __wbg_finalize_init(instance) {
    wasm = instance.exports;
    const ptr = wasm.__wbindgen_malloc();
    // Not a whole identifier: stays.
    const other = wasm.__wbindgen_malloc_extra;
    wasm.__wbindgen_start();
    return [ptr, other];
}

export { __wbg_get_imports, __wbg_finalize_init };
