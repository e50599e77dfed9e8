// nodejs-polars for the interop tests, or undefined where it is not installed (a dev dependency
// whose Linux binary npm may skip); CI must run the real thing, so there its absence fails.

export type Polars = typeof import('nodejs-polars').default;

export let polars: Polars | undefined;
try {
  polars = (await import('nodejs-polars')).default;
} catch (error) {
  if (process.env.CI) throw error;
}
