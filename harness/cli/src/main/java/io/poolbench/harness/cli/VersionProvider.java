package io.poolbench.harness.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code poolbench --version}: the release, the git commit it was built from, and the JVM. */
public final class VersionProvider implements IVersionProvider {

  /** The build version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return gitProperties().getProperty("git.build.version", "unknown");
  }

  /** The abbreviated commit id, with {@code -dirty} when built from a modified tree. */
  public static String commit() {
    Properties git = gitProperties();
    String id = git.getProperty("git.commit.id.abbrev", "unknown");
    return "true".equals(git.getProperty("git.dirty")) ? id + "-dirty" : id;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "poolbench " + version() + " (commit " + commit() + ")",
      "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
    };
  }

  private static Properties gitProperties() {
    Properties props = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/io/poolbench/harness/git.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props;
  }
}
