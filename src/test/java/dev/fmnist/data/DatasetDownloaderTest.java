package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDownloaderTest {
  @TempDir Path dir;
  FixtureServer server;
  Map<String, byte[]> gz = new LinkedHashMap<>();
  Map<String, String> expected = new LinkedHashMap<>();

  @BeforeEach
  void serveATinyDataset() throws IOException {
    ImageSet train = IdxFixtures.tinySet(2, 1);
    ImageSet test = IdxFixtures.tinySet(1, 2);
    Map<DatasetFile, byte[]> idx =
        Map.of(
            DatasetFile.TRAIN_IMAGES, IdxFixtures.imagesIdx(train),
            DatasetFile.TRAIN_LABELS, IdxFixtures.labelsIdx(train),
            DatasetFile.TEST_IMAGES, IdxFixtures.imagesIdx(test),
            DatasetFile.TEST_LABELS, IdxFixtures.labelsIdx(test));
    server = new FixtureServer();
    for (DatasetFile f : DatasetFile.values()) {
      gz.put(f.fileName(), IdxFixtures.gzip(idx.get(f)));
      expected.put(f.fileName(), IdxFixtures.sha256(idx.get(f)));
      server.serve("/mirror/" + f.gzipFileName(), gz.get(f.fileName()));
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<String> leftovers(Path d) throws IOException {
    try (Stream<Path> files = Files.list(d)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void downloadsVerifiesAndKeepsGoodFilesAndSkipsThemNextTime() throws IOException {
    Path target = dir.resolve("new/fashion-mnist");
    List<String> events = new ArrayList<>();
    DownloadListener listener =
        new DownloadListener() {
          @Override
          public void transferStarted(DatasetFile file, URI source, long contentLength) {
            events.add("start " + file.gzipFileName() + " " + contentLength);
          }

          @Override
          public void saved(DatasetFile file, Path saved, long bytes) {
            events.add("saved " + saved.getFileName());
          }

          @Override
          public void alreadyPresent(DatasetFile file, Path existing) {
            events.add("present " + existing.getFileName());
          }
        };
    DatasetDownloader downloader = new DatasetDownloader(server.uri("/mirror"), expected);
    List<Path> files = downloader.download(target, listener);
    assertEquals(4, files.size());
    for (DatasetFile f : DatasetFile.values()) {
      assertArrayEquals(gz.get(f.fileName()), Files.readAllBytes(target.resolve(f.gzipFileName())));
    }
    assertEquals("start train-images-idx3-ubyte.gz " + gz.get("train-images-idx3-ubyte").length, events.get(0));
    assertEquals("saved train-images-idx3-ubyte.gz", events.get(1));
    assertEquals(4, server.requests());
    assertEquals(expected, FashionMnist.load(target).sha256());

    events.clear();
    downloader.download(target, listener);
    assertEquals(4, server.requests());
    assertEquals("present t10k-labels-idx1-ubyte.gz", events.get(3));
  }

  @Test
  void rejectsAFileWithTheWrongHashAndKeepsNothingOfIt() throws IOException {
    byte[] other = IdxFixtures.gzip(IdxFixtures.labelsIdx(IdxFixtures.tinySet(3, 9)));
    server.serve("/mirror/train-labels-idx1-ubyte.gz", other);
    DatasetDownloader downloader = new DatasetDownloader(server.uri("/mirror/"), expected);
    FmnistException e = assertThrows(FmnistException.class, () -> downloader.download(dir, DownloadListener.NONE));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(
        e.getMessage().startsWith(server.uri("/mirror/train-labels-idx1-ubyte.gz") + ": SHA-256 of the decompressed data is "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("expected " + expected.get("train-labels-idx1-ubyte") + "; the download was not kept"));
    assertEquals(List.of("train-images-idx3-ubyte.gz"), leftovers(dir));
  }

  @Test
  void rejectsACorruptedFileAndReplacesACorruptedLocalCopy() throws IOException {
    byte[] corrupted = gz.get("t10k-images-idx3-ubyte").clone();
    corrupted[corrupted.length - 6] ^= 0x55;
    server.serve("/mirror/t10k-images-idx3-ubyte.gz", corrupted);
    Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {1, 2, 3});
    DatasetDownloader downloader = new DatasetDownloader(server.uri("/mirror"), expected);
    FmnistException e = assertThrows(FmnistException.class, () -> downloader.download(dir, DownloadListener.NONE));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertEquals(
        server.uri("/mirror/t10k-images-idx3-ubyte.gz") + ": gzip CRC-32 mismatch: "
            + e.getMessage().substring(e.getMessage().indexOf("the trailer")),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("; the download was not kept"), e.getMessage());
    assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), leftovers(dir));
    assertArrayEquals(gz.get("train-images-idx3-ubyte"), Files.readAllBytes(dir.resolve("train-images-idx3-ubyte.gz")));
  }

  @Test
  void namesAnUnresolvableHost() {
    URI unknown = URI.create("http://no-such-host.invalid/train-images-idx3-ubyte.gz");
    java.net.ConnectException failure = new java.net.ConnectException();
    failure.initCause(new java.nio.channels.UnresolvedAddressException());
    String reason = DatasetDownloader.networkFailure(unknown, failure);
    assertEquals("cannot resolve the host name no-such-host.invalid (no network or DNS?)", reason);
  }

  @Test
  void anHttpErrorIsAnIoFailure() throws IOException {
    DatasetDownloader downloader = new DatasetDownloader(server.uri("/elsewhere/"), expected);
    FmnistException e = assertThrows(FmnistException.class, () -> downloader.download(dir, DownloadListener.NONE));
    assertEquals(ExitCode.IO_FAILURE, ExitCode.of(e));
    assertEquals(server.uri("/elsewhere/train-images-idx3-ubyte.gz") + ": HTTP 404", e.getMessage());
    assertEquals(List.of(), leftovers(dir));
  }

  @Test
  void anUnreachableHostIsAnIoFailure() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI closed = URI.create("http://127.0.0.1:" + port + "/");
    DatasetDownloader downloader = new DatasetDownloader(closed, expected);
    FmnistException e = assertThrows(FmnistException.class, () -> downloader.download(dir, DownloadListener.NONE));
    assertEquals(ExitCode.IO_FAILURE, ExitCode.of(e));
    assertEquals(
        closed + "train-images-idx3-ubyte.gz: cannot connect to 127.0.0.1:" + port
            + " (connection refused or host unreachable)",
        e.getMessage());
    assertEquals(List.of(), leftovers(dir));
  }
}
