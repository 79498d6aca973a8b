package io.adaspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adaspark.cluster.LocalCluster;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster} without starting one: arguments, busy ports, nothing recorded. Starting a real
 * cluster is {@code io.adaspark.cluster.ClusterIT}'s job (after package).
 */
class ClusterCommandTest {
  @Test
  void badArgumentsAreExitCode2() {
    Cli.Result r = Cli.run("cluster", "start", "--workers", "0");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--workers must be >= 1"), r.err());
    r = Cli.run("cluster", "start", "--memory", "lots");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--memory must look like 512m or 2g"), r.err());
  }

  @Test
  void aBusyPortIsAnErrorBeforeAnythingStarts(@TempDir Path tmp) throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName(LocalCluster.HOST))) {
      int port = busy.getLocalPort();
      assertFalse(LocalCluster.portFree(port));
      Cli.Result r = Cli.run("cluster", "start", "--dir", tmp.toString(),
          "--master-port", String.valueOf(port), "--webui-port", String.valueOf(LocalCluster.freePort()));
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().contains("error: port " + port + " on 127.0.0.1 is in use"), r.err());
      assertFalse(Files.exists(tmp.resolve("pids")), "nothing started");
    }
  }

  @Test
  void statusAndStopWithoutACluster(@TempDir Path tmp) {
    Cli.Result status = Cli.run("cluster", "status", "--dir", tmp.toString());
    assertEquals(1, status.code(), status.err());
    assertTrue(status.out().contains("no cluster running"), status.out());
    Cli.Result stop = Cli.run("cluster", "stop", "--dir", tmp.toString());
    assertEquals(0, stop.code(), stop.err());
    assertTrue(stop.err().contains("none recorded"), stop.err());
  }

  @Test
  void helpListsTheSubcommands() {
    Cli.Result r = Cli.run("cluster", "--help");
    assertEquals(0, r.code());
    for (String sub : new String[] {"start", "stop", "status"}) assertTrue(r.out().contains(sub), r.out());
  }
}
