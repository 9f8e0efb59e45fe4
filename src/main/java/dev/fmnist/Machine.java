package dev.fmnist;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** What this machine has, for the limits checked before work: cores and physical memory. */
public final class Machine {
  private Machine() {}

  /**
   * The cores the JVM may use ({@code Runtime.availableProcessors()}; a container's CPU limit).
   *
   * @return at least 1
   */
  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * The machine's physical memory: TensorFlow allocates its tensors natively, outside the Java heap,
   * so the heap limit says nothing about them. In a container, the container's limit (the JVM reads
   * it); the heap's limit where the platform does not tell.
   *
   * @return bytes
   */
  public static long physicalMemoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      long total = os.getTotalMemorySize();
      if (total > 0) {
        return total;
      }
    }
    return Runtime.getRuntime().maxMemory();
  }

  /**
   * A byte count in decimal units, as memory is sold: {@code 128 GB}, {@code 6.4 TB}.
   *
   * @param b bytes
   * @return the count with its unit
   */
  public static String bytes(double b) {
    String[] units = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    int u = 0;
    while (b >= 1000 && u < units.length - 1) {
      b /= 1000;
      u++;
    }
    return u == 0 ? String.format(Locale.ROOT, "%.0f bytes", b)
        : String.format(Locale.ROOT, b >= 100 ? "%.0f %s" : "%.1f %s", b, units[u]);
  }
}
