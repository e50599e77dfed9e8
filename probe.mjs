import { openMatrix } from './dist/src/matrix.js';
import { detectInput } from './dist/src/read/input-format.js';
import { loadArrow } from './dist/src/read/load-arrow.js';
for (let i = 0; i < 3; i++) {
  let t = performance.now();
  await loadArrow(detectInput('/tmp/issue4-seed.arrow'));
  const a = performance.now() - t;
  t = performance.now();
  const m = await openMatrix('/tmp/issue4-seed.arrow');
  const b = performance.now() - t;
  t = performance.now();
  await m.close();
  console.log('loadArrow', a.toFixed(0), 'openMatrix', b.toFixed(0), 'close', (performance.now() - t).toFixed(0));
}
