// The shape of wasm-bindgen 0.2's `--target web` glue for input.wasm.
let wasm;

export function greet(n) {
    wasm._$a(n);
}

export function end() {
    return "a public name that must not change";
}

function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        _a: function(arg0) {
            console.log(arg0);
        },
        _b: function() {
            return Date.now();
        },
        _c: function() {
            const table = wasm._e;
            table.grow(4);
        },
    };
    return {
        __proto__: null,
        "m": import0,
    };
}

function __wbg_finalize_init(instance) {
    wasm = instance.exports;
    const ptr = wasm._d();
    // Not a whole identifier: stays.
    const other = wasm.__wbindgen_malloc_extra;
    wasm._f();
    return [ptr, other];
}

export { __wbg_get_imports, __wbg_finalize_init };
