package dev.fmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void replacesTheTargetInOneStep() throws IOException {
    Path target = dir.resolve("a.txt");
    Files.writeString(target, "old");
    AtomicFiles.write(target, out -> out.write("new".getBytes()));
    assertEquals("new", Files.readString(target));
    assertEquals(List.of("a.txt"), names());
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("a.txt");
    Files.writeString(target, "old");
    FmnistException e =
        assertThrows(
            FmnistException.class,
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write("half".getBytes());
                      throw new IOException("No space left on device");
                    }));
    assertEquals(ExitCode.IO_FAILURE, e.exitCode());
    assertEquals(target + ": cannot write: No space left on device", e.getMessage());
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("a.txt"), names());
  }

  @Test
  void createsMissingDirectories() {
    Path target = dir.resolve("x/y/z.bin");
    AtomicFiles.write(target, out -> out.write(1));
    assertTrue(Files.isRegularFile(target));
  }
}
