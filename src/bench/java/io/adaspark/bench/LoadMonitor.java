package io.adaspark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What else the machine was doing while a figure was measured: {@code /proc/loadavg} before and
 * after, and the CPU time that <em>other</em> processes (every pid but this JVM's) used in
 * between, read from {@code /proc/<pid>/stat} (utime + stime). {@code otherCores} is that CPU
 * time divided by the wall time: 0.0 on an idle machine, 1.0 when another process kept a whole
 * core busy. On a system without {@code /proc} every field is NaN / empty and nothing is
 * considered disturbed.
 */
public final class LoadMonitor {
  /** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100.0;
  private static final long SELF = ProcessHandle.current().pid();

  private LoadMonitor() {}

  /**
   * A point in time: the load average, each other process's CPU ticks, and the machine's steal
   * ticks (CPU time the hypervisor gave to other guests; -1 where {@code /proc/stat} has none).
   */
  public record Snapshot(long nanos, String loadavg, Map<Long, Long> ticks, Map<Long, String> names, long steal) {}

  /**
   * The load seen over an interval.
   *
   * @param loadBefore {@code /proc/loadavg} at the start (first three fields)
   * @param loadAfter the same at the end
   * @param otherCores CPU used by other processes, in cores (CPU seconds / wall seconds)
   * @param busiest up to three other processes with the most CPU, "name pid: cores"
   * @param stealCores CPU time taken by the hypervisor from this machine, in cores (all CPUs
   *     together; NaN where unknown): invisible to {@code otherCores}, recorded beside it
   */
  public record Load(String loadBefore, String loadAfter, double otherCores, double seconds,
                     List<String> busiest, double stealCores) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loadavg_before", loadBefore);
      m.put("loadavg_after", loadAfter);
      m.put("other_cpu_cores", BenchJson.round(otherCores));
      m.put("seconds", BenchJson.round(seconds));
      m.put("busiest_others", busiest);
      m.put("steal_cores", BenchJson.round(stealCores));
      return m;
    }

    /**
     * Cores taken from this measurement by anything else: other processes' CPU plus the
     * hypervisor's steal (where known). What the disturbance threshold is compared with:
     * steal alone of 0.1-0.3 cores came with mini-batch steps 1.6x slower than on an idle host.
     */
    public double disturbance() {
      return Double.isNaN(stealCores) ? otherCores : otherCores + stealCores;
    }

    /** Short form for logs: "others 0.12 cores, steal 0.01 cores, load 0.50 → 0.61". */
    public String brief() {
      return String.format("others %.2f cores, steal %.2f cores, load %s → %s", otherCores, stealCores,
          first(loadBefore), first(loadAfter));
    }

    private static String first(String loadavg) {
      int sp = loadavg.indexOf(' ');
      return sp < 0 ? loadavg : loadavg.substring(0, sp);
    }
  }

  public static Snapshot snapshot() {
    Map<Long, Long> ticks = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    Path proc = Path.of("/proc");
    if (Files.isDirectory(proc)) {
      try (var dirs = Files.newDirectoryStream(proc)) {
        for (Path p : dirs) {
          String f = p.getFileName().toString();
          if (f.isEmpty() || !Character.isDigit(f.charAt(0))) continue;
          long pid;
          try {
            pid = Long.parseLong(f);
          } catch (NumberFormatException e) {
            continue;
          }
          if (pid == SELF) continue;
          try {
            String stat = Files.readString(p.resolve("stat"));
            // pid (comm) state ppid ... : comm may hold spaces, so parse after the last ')'.
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] rest = stat.substring(close + 2).split(" ");
            // rest[0] = state (field 3); utime = field 14, stime = field 15.
            long t = Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
            ticks.put(pid, t);
            names.put(pid, stat.substring(open + 1, close));
          } catch (IOException | RuntimeException e) {
            // the process ended while we looked: it is simply not counted
          }
        }
      } catch (IOException e) {
        // no /proc listing: leave empty
      }
    }
    return new Snapshot(System.nanoTime(), loadavg(), ticks, names, steal());
  }

  /** Field 8 of the "cpu" line of {@code /proc/stat} (steal, in ticks), or -1. */
  static long steal() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      return f[0].equals("cpu") && f.length > 8 ? Long.parseLong(f[8]) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The load between two snapshots. */
  public static Load between(Snapshot a, Snapshot b) {
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    long total = 0;
    List<long[]> per = new ArrayList<>();
    for (Map.Entry<Long, Long> e : b.ticks().entrySet()) {
      // A process that started in between counts from 0.
      long d = e.getValue() - a.ticks().getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        total += d;
        per.add(new long[] {e.getKey(), d});
      }
    }
    per.sort((x, y) -> Long.compare(y[1], x[1]));
    List<String> busiest = new ArrayList<>();
    for (int i = 0; i < Math.min(3, per.size()); i++) {
      long pid = per.get(i)[0];
      busiest.add(String.format("%s %d: %.2f", b.names().get(pid), pid,
          seconds > 0 ? per.get(i)[1] / TICKS / seconds : Double.NaN));
    }
    double cores = a.ticks().isEmpty() || seconds <= 0 ? Double.NaN : total / TICKS / seconds;
    double steal = a.steal() < 0 || b.steal() < 0 || seconds <= 0 ? Double.NaN
        : (b.steal() - a.steal()) / TICKS / seconds;
    return new Load(a.loadavg(), b.loadavg(), cores, seconds, busiest, steal);
  }

  static String loadavg() {
    try {
      String s = Files.readString(Path.of("/proc/loadavg")).trim();
      String[] f = s.split(" ");
      return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : s;
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
