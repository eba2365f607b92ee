/** The {@code poolbench} command line: the root command, exit codes and error handling. */
package io.poolbench.harness.cli;
