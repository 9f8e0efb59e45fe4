package dev.fmnist;

import dev.fmnist.cli.ExitCode;

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
    assertEquals(ExitCode.IO_FAILURE, ExitCode.of(e));
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

  @Test
  void writtenFilesGetTheSamePermissionsAsOtherNewFiles() throws IOException {
    Path plain = Files.writeString(dir.resolve("plain"), "x");
    Path bytes = dir.resolve("bytes");
    AtomicFiles.write(bytes, new byte[] {1, 2});
    Path streamed = dir.resolve("streamed");
    AtomicFiles.write(streamed, out -> out.write(3));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(bytes));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(streamed));
  }

  @Test
  void deletesTheTemporariesOfInterruptedWritesOnly() throws IOException {
    Files.writeString(dir.resolve(".history.json-abc.tmp"), "half");
    Files.createDirectories(dir.resolve(".export-1-2.tmp/variables"));
    Files.writeString(dir.resolve("keep.tmp"), "not hidden: not ours");
    Files.writeString(dir.resolve(".keep"), "no suffix");
    Files.writeString(dir.resolve("history.json"), "{}");
    AtomicFiles.deleteTemporaries(dir);
    assertEquals(List.of(".keep", "history.json", "keep.tmp"), names());
    AtomicFiles.deleteTemporaries(dir.resolve("missing")); // nothing to do
  }
}
