package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations of IDX headers and bodies, raw and gzip-compressed: the reader either
 * returns a file consistent with its header or throws {@link IdxFormatException} (exit code 2).
 * Nothing else may come out (no other exception, no OutOfMemoryError), and no case may allocate
 * much more than the file holds.
 */
class IdxFuzzTest {
  static final long SEED = 20261122L;
  static final int CASES = 4000;
  static final long MAX_SECONDS = 60;
  static final long MAX_ALLOCATED_BYTES = 16L << 20;
  /** Header values that break size arithmetic. */
  static final int[] SPECIAL = {0, 1, -1, 28, 784, 0x7fff_ffff, 0x8000_0000, 0x0000_0803, 0x0000_0801, 0x0800_0000, 1 << 20};

  @TempDir Path dir;

  @Test
  void mutatedFilesGiveOnlyOurFormatError() throws IOException {
    ImageSet set = IdxFixtures.tinySet(1, 3);
    byte[][] bases = {IdxFixtures.imagesIdx(set), IdxFixtures.labelsIdx(set)};
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    SplittableRandom rng = new SplittableRandom(SEED);
    List<String> failures = new ArrayList<>();
    int[] outcomes = new int[2]; // read, refused
    long deadline = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
    int cases = 0;
    for (; cases < CASES && System.nanoTime() < deadline; cases++) {
      int base = rng.nextInt(2);
      boolean gzip = rng.nextBoolean();
      byte[] bytes = bases[base].clone();
      boolean mutateCompressed = gzip && rng.nextBoolean();
      if (gzip && mutateCompressed) {
        bytes = mutate(IdxFixtures.gzip(bytes), rng);
      } else {
        bytes = mutate(bytes, rng);
        if (gzip) {
          bytes = IdxFixtures.gzip(bytes);
        }
      }
      IdxKind kind = rng.nextInt(4) == 0 ? IdxKind.values()[1 - base] : IdxKind.values()[base];
      Path file = Files.write(dir.resolve(rng.nextBoolean() ? "case.gz" : "case"), bytes);
      long before = threads.getThreadAllocatedBytes(thread);
      try {
        IdxFile read = kind == IdxKind.LABELS ? IdxReader.readLabels(file, 10) : IdxReader.readImages(file);
        assertEquals((long) read.count() * (kind == IdxKind.LABELS ? 1 : (long) read.rows() * read.cols()), read.payload().length,
            "payload matches the header");
        outcomes[0]++;
      } catch (IdxFormatException e) {
        assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
        assertTrue(e.getMessage().startsWith(file + ": ") && !e.getMessage().contains("\n"), e.getMessage());
        outcomes[1]++;
      } catch (Throwable t) { // anything else is a bug: note the case and go on
        failures.add("case " + cases + " (" + kind + (gzip ? ", gzip" : "") + "): " + t);
      }
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      if (allocated > MAX_ALLOCATED_BYTES) {
        failures.add("case " + cases + " allocated " + allocated + " bytes for a file of " + bytes.length);
      }
    }
    System.out.printf("IDX fuzz: %d cases (seed %d): %d read, %d refused with IdxFormatException, %d other%n",
        cases, SEED, outcomes[0], outcomes[1], failures.size());
    assertTrue(cases >= 1000, "only " + cases + " cases in " + MAX_SECONDS + " s");
    assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())));
    assertTrue(outcomes[1] > cases / 2, "most mutations are refused: " + Arrays.toString(outcomes));
  }

  /** One to three random edits: bit flips, byte sets, header fields, truncation, insertion, appending. */
  static byte[] mutate(byte[] b, SplittableRandom rng) {
    int edits = 1 + rng.nextInt(3);
    for (int e = 0; e < edits; e++) {
      switch (rng.nextInt(7)) {
        case 0 -> { // flip a bit, in the header more often than not
          if (b.length > 0) {
            int i = rng.nextBoolean() ? rng.nextInt(Math.min(16, b.length)) : rng.nextInt(b.length);
            b[i] ^= (byte) (1 << rng.nextInt(8));
          }
        }
        case 1 -> { // set a byte
          if (b.length > 0) {
            b[rng.nextInt(b.length)] = (byte) rng.nextInt(256);
          }
        }
        case 2 -> { // a header field to a special or random value
          if (b.length >= 4) {
            int field = rng.nextInt(Math.min(4, b.length / 4));
            int value = rng.nextBoolean() ? SPECIAL[rng.nextInt(SPECIAL.length)] : rng.nextInt();
            ByteBuffer.wrap(b).putInt(field * 4, value);
          }
        }
        case 3 -> b = Arrays.copyOf(b, rng.nextInt(b.length + 1)); // truncate
        case 4 -> { // append
          byte[] tail = new byte[1 + rng.nextInt(64)];
          rng.nextBytes(tail);
          byte[] c = Arrays.copyOf(b, b.length + tail.length);
          System.arraycopy(tail, 0, c, b.length, tail.length);
          b = c;
        }
        case 5 -> { // insert
          int at = rng.nextInt(b.length + 1);
          byte[] ins = new byte[1 + rng.nextInt(8)];
          rng.nextBytes(ins);
          byte[] c = new byte[b.length + ins.length];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(ins, 0, c, at, ins.length);
          System.arraycopy(b, at, c, at + ins.length, b.length - at);
          b = c;
        }
        default -> { // delete a range
          if (b.length > 1) {
            int from = rng.nextInt(b.length);
            int to = Math.min(b.length, from + 1 + rng.nextInt(16));
            byte[] c = new byte[b.length - (to - from)];
            System.arraycopy(b, 0, c, 0, from);
            System.arraycopy(b, to, c, from, b.length - to);
            b = c;
          }
        }
      }
    }
    return b;
  }
}
