/**
 * The HTTP side of the load generator: an asynchronous HttpClient 5 client that times each
 * response as its bytes arrive and reports every exchange, whatever its end, exactly once.
 */
package io.poolbench.loadgen.http;
