// The filter worker's bundled source, injected by scripts/build-web.mjs.
declare module 'virtual:filter-worker' {
  const source: string;
  export default source;
}
