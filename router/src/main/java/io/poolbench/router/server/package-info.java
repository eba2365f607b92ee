/**
 * The router service: a non-blocking OpenAI-compatible HTTP proxy on Netty that routes
 * {@code /v1/completions} and {@code /v1/chat/completions} to token-budget pools with
 * {@link io.poolbench.router.PoolRouter}, passes responses through as they arrive, learns from
 * their usage, watches endpoint health, scrapes the engines' load signals, retries failures that
 * reached no client byte on another endpoint, speaks TLS to {@code https://} endpoints and exports
 * metrics. Entry point: {@link
 * io.poolbench.router.server.ProxyServer}.
 */
package io.poolbench.router.server;
