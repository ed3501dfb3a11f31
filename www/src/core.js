// The entry of `www/machine.js`: the effect interpreter (machine.js) as the build appends it to
// the core's glue (xtask/src/build.rs, `append_machine`), which declares `__wlMachine` and
// exports it as `machine`. Not part of wl.js.
import { machine } from "./machine.js";

__wlMachine = machine;
