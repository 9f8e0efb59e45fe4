package dev.fmnist.train.tensorboard;

import dev.fmnist.StorageException;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.tensorflow.proto.Event;

/**
 * The event files of one TensorBoard run directory ({@code train/} or {@code validation/}): listing
 * them in the order TensorBoard reads them, reading their events with checksum checks, and
 * rewriting them with some events left out.
 */
public final class EventFiles {
  /** How every event file's name starts; TensorBoard takes any name containing "tfevents". */
  public static final String PREFIX = "events.out.tfevents.";

  private EventFiles() {}

  /**
   * The event files in {@code dir} sorted by name (TensorBoard's order); none if it does not exist.
   *
   * @param dir a TensorBoard log directory
   * @return the event files, or an empty list
   */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new StorageException(dir + ": cannot list: " + AtomicFiles.describe(e), e);
    }
  }

  /**
   * The creation second in the newest event file name in {@code dir} ({@code
   * events.out.tfevents.<seconds>...}, as TensorFlow names them), or -1 when there is none.
   */
  static long newestSecond(Path dir) {
    long newest = -1;
    for (Path p : list(dir)) {
      String rest = p.getFileName().toString().substring(PREFIX.length());
      int dot = rest.indexOf('.');
      try {
        newest = Math.max(newest, Long.parseLong(dot < 0 ? rest : rest.substring(0, dot)));
      } catch (NumberFormatException notTensorFlowsName) {
        // named by another writer: its place in the order is not ours to keep
      }
    }
    return newest;
  }

  /**
   * Every event of every file in {@code dir}, in TensorBoard's reading order. A damaged or cut-short
   * record ends its file's events, with a warning to {@code log}.
   *
   * @param dir a TensorBoard log directory
   * @param log receives a warning for each damaged file
   * @return the events, file after file
   */
  public static List<Event> read(Path dir, PrintWriter log) {
    List<Event> events = new ArrayList<>();
    for (Path file : list(dir)) {
      events.addAll(readFile(file, log).events());
    }
    return events;
  }

  /**
   * Rewrites the files of {@code dir} so only the events {@code keep} accepts remain. A file with
   * nothing to leave out and no damage is not touched; a file left with no event but its header is
   * deleted; the others are replaced atomically (temporary sibling, then rename).
   *
   * @return the events kept, in reading order
   */
  static Rewrite rewrite(Path dir, Predicate<Event> keep, PrintWriter log) {
    List<Event> kept = new ArrayList<>();
    int dropped = 0;
    for (Path file : list(dir)) {
      FileEvents read = readFile(file, log);
      List<byte[]> keptRecords = new ArrayList<>();
      boolean anyData = false;
      for (int i = 0; i < read.events().size(); i++) {
        Event e = read.events().get(i);
        if (keep.test(e)) {
          kept.add(e);
          keptRecords.add(read.records().get(i));
          anyData |= !e.hasFileVersion();
        }
      }
      int droppedHere = read.events().size() - keptRecords.size();
      dropped += droppedHere;
      if (droppedHere == 0 && read.intact()) {
        continue;
      }
      if (!anyData) {
        delete(file);
        continue;
      }
      AtomicFiles.write(file, out -> {
        for (byte[] r : keptRecords) {
          TfRecords.write(out, r);
        }
      });
    }
    return new Rewrite(kept, dropped);
  }

  /** What {@link #rewrite} kept, and how many intact events it left out. */
  record Rewrite(List<Event> kept, int dropped) {}

  /**
   * The parsed events of one file and their raw records (same order).
   *
   * @param intact false when a damaged record ended the file early or a record was not an event
   */
  record FileEvents(List<Event> events, List<byte[]> records, boolean intact) {}

  static FileEvents readFile(Path file, PrintWriter log) {
    TfRecords.Scan scan;
    try {
      scan = TfRecords.read(file);
    } catch (IOException e) {
      throw new StorageException(file + ": cannot read: " + AtomicFiles.describe(e), e);
    }
    boolean intact = scan.damage() == null;
    if (!intact) {
      log.println("warning: " + file + ": " + scan.damage() + "; the rest of the file is left out "
          + "(a process killed while writing leaves this)");
      log.flush();
    }
    List<Event> events = new ArrayList<>();
    List<byte[]> records = new ArrayList<>();
    for (byte[] r : scan.records()) {
      try {
        events.add(Event.parseFrom(r));
        records.add(r);
      } catch (InvalidProtocolBufferException e) {
        intact = false;
        log.println("warning: " + file + ": a record is not an event (" + FmnistException.firstLine(e.getMessage())
            + "); left out");
        log.flush();
      }
    }
    return new FileEvents(events, records, intact);
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
      AtomicFiles.forceDirectory(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StorageException(file + ": cannot delete: " + AtomicFiles.describe(e), e);
    }
  }
}
