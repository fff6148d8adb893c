/**
 * Load generators for Wharf's benchmarks. Each is a small main class run by a script in {@code bench/};
 * results go to {@code docs/benchmarks.md} with the command that produced them.
 */
package io.wharf.bench;
