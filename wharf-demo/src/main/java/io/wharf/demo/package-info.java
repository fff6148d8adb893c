/**
 * The demo service: answers {@code GET /} with its version and instance, {@code GET /health} with its
 * health, and can be told through its environment to start slowly, burn CPU, add latency or fail its
 * health check. The platform's quickstart, tests and benchmarks run it as a container.
 */
package io.wharf.demo;
