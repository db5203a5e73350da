// cbpf's Node public API: everything pure plus sockets, files and the apps.
export * from './index.js';
export * from './node/files.js';
