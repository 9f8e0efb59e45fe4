package dev.fmnist.train;

import dev.fmnist.config.ConfigException;
import dev.fmnist.StorageException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Checkpoints in {@code <run-dir>/checkpoints/epoch-NNNN/}: the variables ({@code model.index},
 * {@code model.data-*}), {@code state.json}, and {@code SHA256SUMS} (the SHA-256 of each other
 * file, in {@code sha256sum} format). Each is written into a temporary directory, flushed to disk
 * and renamed into place, so a checkpoint directory is complete or absent; one is deleted by
 * renaming it to a temporary name first. A checkpoint whose files do not match their sums (a
 * flipped byte anywhere) is damaged and never restored. The latest {@code keep} are kept, plus the
 * best one.
 */
public final class CheckpointStore {
  /** Prefix of the variable files inside a checkpoint directory. */
  public static final String VARIABLES_PREFIX = "model";

  static final String STATE_FILE = "state.json";
  /** The SHA-256 of every other file of the checkpoint, as {@code sha256sum} writes them. */
  static final String CHECKSUMS_FILE = "SHA256SUMS";
  /** How a checkpoint of another architecture is refused, and what to do instead. */
  static final String OTHER_ARCHITECTURE = "checkpoint of a different architecture than this recipe's model";
  static final String OTHER_ARCHITECTURE_HINT = "replace the run with --overwrite, or use another --run-dir";
  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})");
  private static final Pattern SUM_LINE = Pattern.compile("([0-9a-f]{64})  ([A-Za-z0-9._-]+)");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** A complete checkpoint on disk. */
  public record Checkpoint(Path dir, TrainingState state) {
    /**
     * The prefix to give {@code Session.restore}.
     *
     * @return {@code <dir>/model}
     */
    public String variablesPrefix() {
      return dir.resolve(VARIABLES_PREFIX).toString();
    }
  }

  private final Path dir;
  private final int keep;

  /**
   * A store of the checkpoints in {@code dir}.
   *
   * @param dir the checkpoints directory, {@code <run-dir>/checkpoints}; created on the first save
   * @param keep how many of the latest checkpoints {@link #prune} keeps, besides the best one
   */
  public CheckpointStore(Path dir, int keep) {
    this.dir = dir;
    this.keep = keep;
  }

  /**
   * The directory the checkpoints are in.
   *
   * @return the checkpoints directory
   */
  public Path directory() {
    return dir;
  }

  /** Removes the temporary directories that an interrupted save left. */
  public void cleanLeftovers() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(AtomicFiles::isTemporary).forEach(AtomicFiles::deleteQuietly);
    } catch (IOException e) {
      throw new StorageException(dir + ": cannot list checkpoints: " + AtomicFiles.describe(e), e);
    }
  }

  /**
   * Saves the session's variables and the state as checkpoint {@code epoch-NNNN}.
   *
   * @param session the training session whose variables are saved
   * @param state the epoch, step, history and callback states saved beside them
   * @return the checkpoint written
   * @throws dev.fmnist.StorageException when the checkpoint cannot be written (nothing half-written
   *     is left)
   */
  public Checkpoint save(Session session, TrainingState state) {
    String name = String.format(Locale.ROOT, "epoch-%04d", state.epoch());
    Path target = dir.resolve(name);
    Path tmp = dir.resolve("." + name + "-" + ProcessHandle.current().pid() + AtomicFiles.TEMP_SUFFIX);
    try {
      Files.createDirectories(dir);
      AtomicFiles.deleteQuietly(tmp);
      Files.createDirectory(tmp);
      session.save(tmp.resolve(VARIABLES_PREFIX).toString());
      AtomicFiles.writeNew(tmp.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
      writeChecksums(tmp);
      if (Files.exists(target)) {
        discard(target); // a stale or damaged checkpoint of the same epoch from an earlier run
      }
      AtomicFiles.move(tmp, target);
      tmp = null;
      AtomicFiles.forceDirectory(dir);
    } catch (IOException e) {
      throw new StorageException(target + ": cannot write checkpoint: " + AtomicFiles.describe(e), e);
    } catch (TensorFlowException e) {
      throw new StorageException(target + ": cannot write checkpoint: " + FmnistException.firstLine(e.getMessage()), e);
    } finally {
      AtomicFiles.deleteQuietly(tmp);
    }
    return new Checkpoint(target, state);
  }

  /**
   * Deletes all but the latest {@code keep} checkpoints and the one of {@code bestEpoch}.
   *
   * @param bestEpoch an epoch whose checkpoint is kept in any case
   * @throws dev.fmnist.StorageException when the checkpoints cannot be listed
   */
  public void prune(int bestEpoch) {
    List<Path> all = listNewestFirst();
    for (int i = keep; i < all.size(); i++) {
      if (epochOf(all.get(i)) != bestEpoch) {
        discard(all.get(i));
      }
    }
  }

  /**
   * Restores the newest checkpoint that is complete, readable and of this architecture into the
   * session. A damaged one is reported on {@code log} and the previous one is tried.
   *
   * @param session the session to restore the variables into
   * @param architecture the SHA-256 of the recipe's model ({@link
   *     dev.fmnist.config.RecipeLoader#architectureFingerprint})
   * @param log receives a warning for every damaged checkpoint skipped
   * @return the checkpoint restored, or empty when there is none
   * @throws ConfigException when the newest readable checkpoint belongs to another architecture
   */
  public Optional<Checkpoint> restoreLatest(Session session, String architecture, PrintWriter log) {
    for (Path p : listNewestFirst()) {
      Optional<String> damage = damage(p);
      if (damage.isPresent()) {
        log.println("warning: " + p + ": damaged checkpoint (" + damage.get() + "), trying an older one");
        log.flush();
        continue;
      }
      TrainingState state;
      try {
        state = JSON.readValue(p.resolve(STATE_FILE).toFile(), TrainingState.class);
      } catch (IOException e) {
        log.println("warning: " + p + ": unreadable checkpoint state (" + FmnistException.firstLine(e.getMessage()) + "), trying an older one");
        continue;
      }
      if (!architecture.equals(state.architecture())) {
        throw new ConfigException(p + ": " + OTHER_ARCHITECTURE + "; " + OTHER_ARCHITECTURE_HINT);
      }
      Checkpoint c = new Checkpoint(p, state);
      try {
        session.restore(c.variablesPrefix());
        return Optional.of(c);
      } catch (TensorFlowException | IllegalArgumentException e) {
        log.println("warning: " + p + ": damaged checkpoint (" + FmnistException.firstLine(e.getMessage()) + "), trying an older one");
      }
    }
    return Optional.empty();
  }

  /**
   * The newest checkpoint that is complete and whose state is readable, without restoring it: the
   * one {@link #restoreLatest} will restore unless TensorFlow then finds its variables damaged.
   *
   * @return the checkpoint, or empty when there is none
   */
  public Optional<Checkpoint> newestIntact() {
    for (Path p : listNewestFirst()) {
      if (damage(p).isEmpty()) {
        try {
          return Optional.of(new Checkpoint(p, JSON.readValue(p.resolve(STATE_FILE).toFile(), TrainingState.class)));
        } catch (IOException e) {
          // unreadable state: restoreLatest reports it and tries an older one
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The checkpoint of a given epoch, if it is on disk and undamaged.
   *
   * @param epoch the epoch, from 1
   * @return the checkpoint, or empty when it is missing or damaged
   */
  public Optional<Checkpoint> find(int epoch) {
    for (Path p : listNewestFirst()) {
      if (epochOf(p) == epoch) {
        if (damage(p).isPresent()) {
          return Optional.empty();
        }
        try {
          return Optional.of(new Checkpoint(p, JSON.readValue(p.resolve(STATE_FILE).toFile(), TrainingState.class)));
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Checkpoint directories, newest epoch first.
   *
   * @return the directories named {@code epoch-NNNN}; empty when there are none
   */
  public List<Path> listNewestFirst() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> l = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)).forEach(l::add);
    } catch (IOException e) {
      throw new StorageException(dir + ": cannot list checkpoints: " + AtomicFiles.describe(e), e);
    }
    l.sort(Comparator.comparingInt(CheckpointStore::epochOf).reversed());
    return l;
  }

  /**
   * What is wrong with a checkpoint directory: a file missing, unreadable, or not matching its
   * SHA-256 in {@code SHA256SUMS}. A checkpoint written before fmnist kept sums has only its
   * files checked for presence.
   *
   * @param checkpoint a checkpoint directory
   * @return the problem, or empty when the checkpoint is intact
   */
  public static Optional<String> damage(Path checkpoint) {
    Path sums = checkpoint.resolve(CHECKSUMS_FILE);
    if (!Files.exists(sums)) {
      for (String required : new String[] {STATE_FILE, VARIABLES_PREFIX + ".index"}) {
        if (!Files.isRegularFile(checkpoint.resolve(required))) {
          return Optional.of(required + " is missing");
        }
      }
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(sums, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.of(CHECKSUMS_FILE + " is unreadable: " + AtomicFiles.describe(e));
    }
    Set<String> listed = new HashSet<>();
    for (String line : lines) {
      Matcher m = SUM_LINE.matcher(line);
      if (!m.matches()) {
        return Optional.of(CHECKSUMS_FILE + " is malformed");
      }
      String name = m.group(2);
      listed.add(name);
      Path file = checkpoint.resolve(name);
      if (!Files.isRegularFile(file)) {
        return Optional.of(name + " is missing");
      }
      try {
        if (!sha256(file).equals(m.group(1))) {
          return Optional.of(name + " does not match its SHA-256");
        }
      } catch (IOException e) {
        return Optional.of(name + " is unreadable: " + AtomicFiles.describe(e));
      }
    }
    if (!listed.contains(STATE_FILE) || !listed.contains(VARIABLES_PREFIX + ".index")) {
      return Optional.of(CHECKSUMS_FILE + " does not list " + STATE_FILE + " and " + VARIABLES_PREFIX + ".index");
    }
    return Optional.empty();
  }

  /** Writes the sums of the files in {@code tmp}, then flushes them all and the directory to disk. */
  private static void writeChecksums(Path tmp) throws IOException {
    StringBuilder sb = new StringBuilder();
    List<Path> files;
    try (Stream<Path> s = Files.list(tmp)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      sb.append(sha256(f)).append("  ").append(f.getFileName()).append('\n');
    }
    Path sums = AtomicFiles.writeNew(tmp.resolve(CHECKSUMS_FILE), sb.toString().getBytes(StandardCharsets.UTF_8));
    for (Path f : files) {
      AtomicFiles.force(f);
    }
    AtomicFiles.force(sums);
    AtomicFiles.forceDirectory(tmp);
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Removes a checkpoint directory so that it is never seen half-deleted: renamed to a temporary
   * name (which {@link #cleanLeftovers} removes if this is interrupted), then deleted.
   */
  private void discard(Path checkpoint) {
    Path trash = dir.resolve("." + checkpoint.getFileName() + "-" + ProcessHandle.current().pid() + "-deleted"
        + AtomicFiles.TEMP_SUFFIX);
    try {
      AtomicFiles.deleteQuietly(trash);
      Files.move(checkpoint, trash, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.deleteQuietly(trash);
    } catch (IOException e) {
      AtomicFiles.deleteQuietly(checkpoint);
    }
  }

  /**
   * The epoch of a checkpoint directory named epoch-NNNN, or -1.
   *
   * @param p a path; only its file name is looked at
   * @return the epoch number, or -1 when the name is not {@code epoch-NNNN}
   */
  public static int epochOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

}
