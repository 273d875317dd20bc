/**
 * Options every request-scoped DataLoader is built with. The defaults batch and cache per
 * request; the benchmark's "naive" variant sets `maxBatchSize: 1, cache: false` to measure
 * what per-row resolvers would cost with the very same resolvers.
 */
export interface LoaderOptions {
  maxBatchSize?: number;
  cache?: boolean;
}
