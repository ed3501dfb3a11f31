// Resolves `window.__bench` with the compile and instantiate (+ start) times in ms, measured apart
// from the download, of the module a sign-in page loads: the core with both basic controls.
window.__bench = (async () => {
  // The modules' content-hashed names (xtask/src/build.rs writes pkg/modules.json).
  const [hash] = (await (await fetch("/pkg/modules.json")).json()).wl_connect_controls;
  const bytes = await (await fetch(`/pkg/wl_connect_controls_bg.${hash}.wasm`)).arrayBuffer();
  const glue = await import(`/pkg/wl_connect_controls.${hash}.js`);
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  glue.initSync({ module });
  const t2 = performance.now();
  return { compile_ms: t1 - t0, instantiate_ms: t2 - t1 };
})();
