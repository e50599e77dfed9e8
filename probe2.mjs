import { openSync, readSync, fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
const path = '/tmp/issue4-seed.arrow';
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  const fd = openSync(path, 'r'); const size = fstatSync(fd).size;
  const sab = new SharedArrayBuffer(size);
  const v = new Uint8Array(sab);
  let at = 0; while (at < size) at += readSync(fd, v, at, Math.min(size - at, 1 << 30), at);
  const a = performance.now() - t;
  t = performance.now();
  const ab = new Uint8Array(new ArrayBuffer(size));
  at = 0; while (at < size) at += readSync(fd, ab, at, Math.min(size - at, 1 << 30), at);
  const b = performance.now() - t;
  t = performance.now();
  const s2 = new Uint8Array(new SharedArrayBuffer(size)); s2.fill(1);
  const c = performance.now() - t;
  console.log('sab readSync', a.toFixed(0), 'ab readSync', b.toFixed(0), 'sab fill', c.toFixed(0));
}
