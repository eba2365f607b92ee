package io.poolbench.reports.rundir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  @TempDir Path tmp;

  @Test
  void deleteTree_removesTheDirectoryAndEverythingUnderIt_andIgnoresOneThatIsGone() throws Exception {
    Path dir = tmp.resolve("scratch");
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/b/requests.csv"), "id\n");
    Files.writeString(dir.resolve("summary.json"), "{}");
    RunDirectory.deleteTree(dir);
    assertThat(dir).doesNotExist();
    assertThat(tmp).exists();
    RunDirectory.deleteTree(dir); // already gone: nothing to do, no error
    assertThat(dir).doesNotExist();
  }
}
