/**
 * The router service's configuration file: the YAML shape ({@link
 * io.poolbench.router.server.config.RouterConfigFile}) and its strict parser and validator
 * ({@link io.poolbench.router.server.config.RouterConfigs}), which resolves it into {@link
 * io.poolbench.router.server.ProxySettings}.
 */
package io.poolbench.router.server.config;
