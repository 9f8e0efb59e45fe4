package dev.fmnist.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resident memory stays flat over a long training and over many SavedModel load/predict/close
 * cycles: measured in a child JVM whose heap is fixed and pre-touched, so that what grows is
 * native memory (tensors, sessions, graphs) and classes. The growth after a warm-up must stay
 * under {@link #MAX_GROWTH_MB}. Counts: {@code -Dfmnist.memory.epochs} (default 35) and {@code
 * -Dfmnist.memory.cycles} (default 500).
 */
class NativeMemoryTest {
  static final double MAX_GROWTH_MB = 50;
  static final int EPOCHS = Integer.getInteger("fmnist.memory.epochs", 35);
  static final int CYCLES = Integer.getInteger("fmnist.memory.cycles", 500);
  static final int WARM_UP_EPOCHS = 5;
  static final int WARM_UP_CYCLES = 50;

  @TempDir Path dir;

  @Test
  void trainingManyEpochsKeepsResidentMemoryFlat() throws Exception {
    List<long[]> samples = probe("train", EPOCHS, "epoch");
    assertEquals(EPOCHS, samples.size());
    report("training", "epochs", WARM_UP_EPOCHS, samples);
  }

  @Test
  void loadPredictCloseCyclesKeepResidentMemoryFlat() throws Exception {
    List<long[]> samples = probe("cycles", CYCLES, "cycle");
    assertEquals(CYCLES / 10, samples.size());
    report("SavedModel load/predict/close", "cycles", WARM_UP_CYCLES, samples);
  }

  private static void report(String what, String unit, int warmUp, List<long[]> samples) {
    long atWarmUp = samples.stream().filter(s -> s[0] >= warmUp).findFirst().orElseThrow()[1];
    long last = samples.get(samples.size() - 1)[1];
    long max = samples.stream().filter(s -> s[0] >= warmUp).mapToLong(s -> s[1]).max().orElseThrow();
    double growthMb = (last - atWarmUp) / 1024.0;
    double peakMb = (max - atWarmUp) / 1024.0;
    System.out.printf(Locale.ROOT, "native memory, %s: RSS %.1f MB after %d %s, %.1f MB after %d; growth %.1f MB"
        + " (peak %.1f MB above the warm-up level)%n", what, atWarmUp / 1024.0, warmUp, unit, last / 1024.0,
        samples.get(samples.size() - 1)[0], growthMb, peakMb);
    assertTrue(peakMb < MAX_GROWTH_MB, what + ": resident memory grew by " + peakMb + " MB");
  }

  /** Runs {@link MemoryProbe} in a child JVM and returns its (count, RSS kB) samples. */
  private List<long[]> probe(String mode, int n, String prefix) throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
    Path out = dir.resolve(mode + ".txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms192m", "-Xmx192m", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
        MemoryProbe.class.getName(), mode, dir.resolve(mode).toString(), Integer.toString(n))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the probe did not finish");
    String text = Files.readString(out);
    assertEquals(0, p.exitValue(), text);
    List<long[]> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix + " ")) {
        String[] f = line.split(" ");
        samples.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return samples;
  }
}
