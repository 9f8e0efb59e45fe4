package dev.fmnist.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Checkpoints in {@code <run-dir>/checkpoints/epoch-NNNN/}: the variables ({@code model.index},
 * {@code model.data-*}) and {@code state.json}. Each is written into a temporary directory and
 * renamed into place, so a checkpoint directory is complete or absent. The latest {@code keep} are
 * kept, plus the best one.
 */
public final class CheckpointStore {
  /** Prefix of the variable files inside a checkpoint directory. */
  public static final String VARIABLES_PREFIX = "model";

  static final String STATE_FILE = "state.json";
  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** A complete checkpoint on disk. */
  public record Checkpoint(Path dir, TrainingState state) {
    /** The prefix to give {@code Session.restore}. */
    public String variablesPrefix() {
      return dir.resolve(VARIABLES_PREFIX).toString();
    }
  }

  private final Path dir;
  private final int keep;

  public CheckpointStore(Path dir, int keep) {
    this.dir = dir;
    this.keep = keep;
  }

  public Path directory() {
    return dir;
  }

  /** Removes the temporary directories that an interrupted save left. */
  public void cleanLeftovers() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(AtomicFiles.TEMP_SUFFIX)).forEach(AtomicFiles::deleteQuietly);
    } catch (IOException e) {
      throw FmnistException.io(dir + ": cannot list checkpoints: " + AtomicFiles.describe(e), e);
    }
  }

  /** Saves the session's variables and the state as checkpoint {@code epoch-NNNN}. */
  public Checkpoint save(Session session, TrainingState state) {
    String name = String.format(Locale.ROOT, "epoch-%04d", state.epoch());
    Path target = dir.resolve(name);
    Path tmp = dir.resolve("." + name + "-" + ProcessHandle.current().pid() + AtomicFiles.TEMP_SUFFIX);
    try {
      Files.createDirectories(dir);
      AtomicFiles.deleteQuietly(tmp);
      Files.createDirectory(tmp);
      session.save(tmp.resolve(VARIABLES_PREFIX).toString());
      AtomicFiles.write(tmp.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
      if (Files.exists(target)) {
        AtomicFiles.deleteQuietly(target); // a stale checkpoint of the same epoch from an earlier run
      }
      AtomicFiles.move(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw FmnistException.io(target + ": cannot write checkpoint: " + AtomicFiles.describe(e), e);
    } catch (TensorFlowException e) {
      throw FmnistException.io(target + ": cannot write checkpoint: " + firstLine(e.getMessage()), e);
    } finally {
      AtomicFiles.deleteQuietly(tmp);
    }
    return new Checkpoint(target, state);
  }

  /** Deletes all but the latest {@code keep} checkpoints and the one of {@code bestEpoch}. */
  public void prune(int bestEpoch) {
    List<Path> all = listNewestFirst();
    for (int i = keep; i < all.size(); i++) {
      if (epochOf(all.get(i)) != bestEpoch) {
        AtomicFiles.deleteQuietly(all.get(i));
      }
    }
  }

  /**
   * Restores the newest checkpoint that is complete, readable and of this architecture into the
   * session. A damaged one is reported on {@code log} and the previous one is tried.
   *
   * @return the checkpoint restored, or empty when there is none
   * @throws FmnistException (exit 2) when the newest checkpoint belongs to another architecture
   */
  public Optional<Checkpoint> restoreLatest(Session session, String architecture, PrintWriter log) {
    for (Path p : listNewestFirst()) {
      TrainingState state;
      try {
        state = JSON.readValue(p.resolve(STATE_FILE).toFile(), TrainingState.class);
      } catch (IOException e) {
        log.println("warning: " + p + ": unreadable checkpoint state (" + firstLine(e.getMessage()) + "), trying an older one");
        continue;
      }
      if (!architecture.equals(state.architecture())) {
        throw FmnistException.badInput(
            p + ": checkpoint of a different architecture than this recipe's model; "
                + "train without --resume, or use another --run-dir");
      }
      Checkpoint c = new Checkpoint(p, state);
      try {
        session.restore(c.variablesPrefix());
        return Optional.of(c);
      } catch (TensorFlowException | IllegalArgumentException e) {
        log.println("warning: " + p + ": damaged checkpoint (" + firstLine(e.getMessage()) + "), trying an older one");
      }
    }
    return Optional.empty();
  }

  /** The checkpoint of a given epoch, if it is on disk. */
  public Optional<Checkpoint> find(int epoch) {
    for (Path p : listNewestFirst()) {
      if (epochOf(p) == epoch) {
        try {
          return Optional.of(new Checkpoint(p, JSON.readValue(p.resolve(STATE_FILE).toFile(), TrainingState.class)));
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** Checkpoint directories, newest epoch first. */
  public List<Path> listNewestFirst() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> l = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)).forEach(l::add);
    } catch (IOException e) {
      throw FmnistException.io(dir + ": cannot list checkpoints: " + AtomicFiles.describe(e), e);
    }
    l.sort(Comparator.comparingInt(CheckpointStore::epochOf).reversed());
    return l;
  }

  /** The epoch of a checkpoint directory named epoch-NNNN, or -1. */
  public static int epochOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
