package dev.fmnist.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfRecordsTest {
  @TempDir Path dir;

  @Test
  void maskedCrcOfTheStandardCheckString() {
    // CRC32C("123456789") = 0xE3069283, masked as TFRecord stores it
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    int crc = 0xE3069283;
    assertEquals(((crc >>> 15) | (crc << 17)) + 0xa282ead8, TfRecords.maskedCrc32c(check, 0, check.length));
  }

  @Test
  void recordsRoundTrip() throws IOException {
    Path f = write(new byte[0], "one".getBytes(StandardCharsets.UTF_8), new byte[300]);
    TfRecords.Scan s = TfRecords.read(f);
    assertNull(s.damage());
    assertEquals(3, s.records().size());
    assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), s.records().get(1));
    assertEquals(300, s.records().get(2).length);
    assertEquals(Files.size(f), s.intactBytes());
  }

  @Test
  void aRecordCutShortEndsTheScan() throws IOException {
    Path f = write("first".getBytes(StandardCharsets.UTF_8), "second".getBytes(StandardCharsets.UTF_8));
    long firstEnd = 12 + 5 + 4;
    for (long cut = firstEnd + 1; cut < Files.size(f); cut++) {
      byte[] b = Arrays.copyOf(Files.readAllBytes(f), (int) cut);
      Path g = dir.resolve("cut" + cut);
      Files.write(g, b);
      TfRecords.Scan s = TfRecords.read(g);
      assertEquals(1, s.records().size(), "cut at " + cut);
      assertEquals(firstEnd, s.intactBytes());
      assertTrue(s.damage().contains("cut short"), s.damage());
    }
  }

  @Test
  void aFlippedBitIsCaught() throws IOException {
    Path f = write("first".getBytes(StandardCharsets.UTF_8), "second".getBytes(StandardCharsets.UTF_8));
    byte[] clean = Files.readAllBytes(f);
    for (int i = 21; i < clean.length; i++) {
      byte[] b = clean.clone();
      b[i] ^= 0x10;
      Files.write(f, b);
      TfRecords.Scan s = TfRecords.read(f);
      assertEquals(1, s.records().size(), "flip at " + i);
      assertTrue(s.damage().contains("checksum") || s.damage().contains("cut short"), s.damage());
    }
  }

  private Path write(byte[]... records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      TfRecords.write(out, r);
    }
    Path f = dir.resolve("records");
    Files.write(f, out.toByteArray());
    return f;
  }
}
