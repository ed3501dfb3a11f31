// Resolves `window.__bench` with the wasm core's compile and instantiate (+ start) times in ms,
// measured apart from the download.
window.__bench = (async () => {
  const bytes = await (await fetch("/pkg/wl_connect_bg.wasm")).arrayBuffer();
  const glue = await import("/pkg/wl_connect.js");
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  glue.initSync({ module });
  const t2 = performance.now();
  return { compile_ms: t1 - t0, instantiate_ms: t2 - t1 };
})();
