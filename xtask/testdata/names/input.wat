;; The source of input.wasm (assembled with binaryen's `wasm-as --enable-reference-types input.wat -o input.wasm`): the
;; shape of a wasm-bindgen 0.2 module. Imports from the glue module `./demo_bg.js` with hashed
;; names, one import from another module (kept), a public export (`greet`, kept), and
;; wasm-bindgen's internal exports (renamed).
(module
  (type $v_i (func (param i32)))
  (type $i_v (func (result i32)))
  (type $v_v (func))
  (import "./demo_bg.js" "__wbg_log_a1b2c3d4e5f60718" (func $log (type $v_i)))
  (import "./demo_bg.js" "__wbg_now_0123456789abcdef" (func $now (type $i_v)))
  (import "./demo_bg.js" "__wbindgen_init_externref_table" (func $init (type $v_v)))
  (import "env" "keep_me" (func $keep (type $v_v)))
  (memory $mem 1)
  (table $t 2 externref)
  (func $greet (type $v_i) (param i32)
    (call $log (local.get 0))
    (call $keep))
  (func $malloc (type $i_v) (call $now))
  (func $start (type $v_v) (call $init))
  (export "memory" (memory $mem))
  (export "greet" (func $greet))
  (export "__wbindgen_malloc" (func $malloc))
  (export "__wbindgen_externrefs" (table $t))
  (export "__wbindgen_start" (func $start)))
