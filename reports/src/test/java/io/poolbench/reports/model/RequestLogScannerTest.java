package io.poolbench.reports.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.reports.RunFixtures;
import io.poolbench.reports.rundir.RequestLogReader;
import io.poolbench.reports.rundir.RequestRow;
import io.poolbench.reports.rundir.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestLogScannerTest {

  @TempDir Path tmp;

  @Test
  void scan_readsTheSameRowsAsTheReferenceReader() throws Exception {
    Path file = RunFixtures.write(tmp.resolve("run"), RunFixtures.Spec.twoPool(500)).dir()
        .resolve(RunDirectory.REQUESTS_CSV_GZ);
    List<RequestRow> fast = new ArrayList<>();
    RequestLogScanner.scan(file, fast::add);
    try (Stream<RequestRow> ref = RequestLogReader.read(file)) {
      assertThat(fast).hasSize(500).isEqualTo(ref.toList());
    }
  }

  @Test
  void parse_unusualNumbers_fallBackToTheJdkParsers() {
    RequestRow r = RequestLogScanner.parse(
        "3,1e3,p,,cat,10,20,,not_sent,0,,,-1.5,0,0", new int[16], 2);
    assertThat(r.arrivalMs()).isEqualTo(1000.0);
    assertThat(r.instance()).isEqualTo(-1);
    assertThat(r.maxTokens()).isEqualTo(-1);
    assertThat(r.queueMs()).isEqualTo(-1);
    assertThat(r.e2eMs()).isEqualTo(-1.5);
  }

  @Test
  void parse_cachedTokensColumn_readWhenPresent() {
    RequestRow r = RequestLogScanner.parse(
        "3,10.000,p,0,cat,2048,20,,ok,200,1.000,2.000,3.000,20,0,1024", new int[17], 2);
    assertThat(r.cachedTokens()).isEqualTo(1024);
    assertThat(r.preemptions()).isZero();
    RequestRow unknown = RequestLogScanner.parse(
        "3,10.000,p,0,cat,2048,20,,ok,200,1.000,2.000,3.000,20,0,", new int[17], 2);
    assertThat(unknown.cachedTokens()).isEqualTo(-1);
    RequestRow legacy = RequestLogScanner.parse(
        "3,10.000,p,0,cat,2048,20,,ok,200,1.000,2.000,3.000,20,0", new int[16], 2);
    assertThat(legacy.cachedTokens()).isEqualTo(-1);
  }

  @Test
  void parse_badRows_nameTheLine() {
    assertThatThrownBy(() -> RequestLogScanner.parse("1,2,3", new int[16], 7))
        .hasMessage("line 7 does not have 15 fields");
    assertThatThrownBy(() -> RequestLogScanner.parse(
        "1,2,p,0,c,1,1,1,exploded,200,1,1,1,1,0", new int[16], 9))
        .hasMessage("unknown outcome 'exploded'");
    assertThatThrownBy(() -> RequestLogScanner.parse(
        "1,2,p,0,c,x,1,1,ok,200,1,1,1,1,0", new int[16], 4))
        .hasMessageStartingWith("line 4: ");
  }
}
