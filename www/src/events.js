// `WL.Event`: the handlers live here, so pages may subscribe before the core has loaded.

var handlers = [], consoleLog = true;

/** Whether `wl.log` entries also go to the console (the configuration's `logging`). */
export function setConsole(on) {
  consoleLog = on;
}

/** Calls every handler of `name` with `arg`, in subscription order; one that throws is reported
 * and the others still run. `wl.log` entries also go to the console. */
export function emit(name, arg) {
  if (name === "wl.log" && consoleLog) {
    console[arg.level === "error" ? "error" : "warn"]("wl-connect: " + (arg.code || arg.level) + " " + arg.message);
  }
  handlers.slice().forEach(function (h) {
    if (h[0] === name) {
      try {
        h[1](arg);
      } catch (e) {
        console.error("wl-connect: an event handler threw", e);
      }
    }
  });
}

/** `WL.Event`. */
export var WLEvent = {
  subscribe: function (name, fn) {
    if (
      typeof fn === "function" &&
      !handlers.some(function (h) {
        return h[0] === name && h[1] === fn;
      })
    )
      handlers.push([name, fn]);
  },
  unsubscribe: function (name, fn) {
    handlers = handlers.filter(function (h) {
      return h[0] !== name || (fn && h[1] !== fn);
    });
  }
};
