package dev.fmnist.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Checkpoints survive damage: any flipped byte of the newest one sends a resume to the previous one. */
class CheckpointStoreTest {
  private static final String ARCH = "arch";

  /** A graph with one variable {@code v} of 64 floats and an op setting it to a fed-in value. */
  private static final class Model implements AutoCloseable {
    final Graph graph = new Graph();
    final Session session;
    final Variable<TFloat32> v;
    final org.tensorflow.op.core.Placeholder<TFloat32> value;
    final org.tensorflow.op.core.Assign<TFloat32> assign;

    Model() {
      Ops tf = Ops.create(graph);
      v = tf.withName("v").variable(tf.zeros(tf.constant(new int[] {64}), TFloat32.class));
      value = tf.placeholder(TFloat32.class);
      assign = tf.assign(v, value);
      session = new Session(graph);
      session.initialize();
    }

    void set(float x) {
      float[] a = new float[64];
      java.util.Arrays.fill(a, x);
      try (TFloat32 t = TFloat32.vectorOf(a);
          Result r = session.runner().feed(value, t).fetch(assign).run()) {
        // assigned
      }
    }

    float get() {
      try (Result r = session.runner().fetch(v).run()) {
        return ((TFloat32) r.get(0)).getFloat(5);
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  private static TrainingState state(int epoch) {
    List<EpochRecord> history = new ArrayList<>();
    for (int e = 1; e <= epoch; e++) {
      history.add(new EpochRecord(e, 1.0 / e, 0.5, 1.1 / e, 0.4, 0.01, 0.2, 0.1));
    }
    return new TrainingState(epoch, epoch * 10L, history, ARCH, 7, "{}", java.util.Map.of(), "cpu");
  }

  /** Saves epochs 1 and 2 (variable values 1 and 2) into {@code dir}. */
  private static CheckpointStore saveTwo(Path dir) {
    CheckpointStore store = new CheckpointStore(dir, 5);
    try (Model m = new Model()) {
      m.set(1f);
      store.save(m.session, state(1));
      m.set(2f);
      store.save(m.session, state(2));
    }
    return store;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void restoresTheNewestCheckpoint(@TempDir Path dir) {
    CheckpointStore store = saveTwo(dir);
    try (Model m = new Model()) {
      Optional<CheckpointStore.Checkpoint> c = store.restoreLatest(m.session, ARCH, new PrintWriter(new StringWriter()));
      assertEquals(2, c.orElseThrow().state().epoch());
      assertEquals(2f, m.get());
    }
  }

  @Test
  void anyFlippedByteOfTheNewestCheckpointIsDetectedAndThePreviousOneRestored(@TempDir Path dir) throws IOException {
    CheckpointStore store = saveTwo(dir);
    Path newest = dir.resolve("epoch-0002");
    List<String> missed = new ArrayList<>();
    int tried = 0;
    try (Model m = new Model()) {
      for (Path file : files(newest)) {
        byte[] original = Files.readAllBytes(file);
        int stride = Math.max(1, original.length / 97); // every byte of small files, ~100 spread over big ones
        for (int i = 0; i < original.length; i += stride) {
          byte[] damaged = original.clone();
          damaged[i] ^= (byte) (1 << (i % 8));
          Files.write(file, damaged);
          m.set(0f);
          StringWriter log = new StringWriter();
          Optional<CheckpointStore.Checkpoint> c;
          try {
            c = store.restoreLatest(m.session, ARCH, new PrintWriter(log));
          } catch (RuntimeException e) {
            c = Optional.empty();
          }
          tried++;
          if (c.isEmpty() || c.get().state().epoch() != 1 || m.get() != 1f || !log.toString().contains("damaged checkpoint")) {
            missed.add(file.getFileName() + "@" + i);
          }
        }
        Files.write(file, original);
      }
    }
    assertTrue(tried > 300, "flips tried: " + tried);
    assertEquals(List.of(), missed, "flipped bytes not detected (of " + tried + ")");
  }

  @Test
  void findSkipsADamagedCheckpointAndACheckpointWithoutSumsIsStillRead(@TempDir Path dir) throws IOException {
    CheckpointStore store = saveTwo(dir);
    assertTrue(Files.exists(dir.resolve("epoch-0002/SHA256SUMS")));
    assertTrue(store.find(2).isPresent());
    Path state = dir.resolve("epoch-0002/state.json");
    Files.writeString(state, Files.readString(state).replace("\"epoch\" : 2", "\"epoch\" : 3"));
    assertEquals(Optional.of("state.json does not match its SHA-256"), CheckpointStore.damage(dir.resolve("epoch-0002")));
    assertTrue(store.find(2).isEmpty());

    Files.delete(dir.resolve("epoch-0001/SHA256SUMS")); // written before fmnist kept sums
    assertEquals(Optional.empty(), CheckpointStore.damage(dir.resolve("epoch-0001")));
    assertEquals(1, store.find(1).orElseThrow().state().epoch());
    Files.delete(dir.resolve("epoch-0001/model.index"));
    assertEquals(Optional.of("model.index is missing"), CheckpointStore.damage(dir.resolve("epoch-0001")));
  }

  @Test
  void leftoversOfInterruptedWritesAndDeletesAreIgnoredAndCleanedUp(@TempDir Path dir) throws IOException {
    CheckpointStore store = saveTwo(dir);
    Files.createDirectories(dir.resolve(".epoch-0003-12345.tmp"));
    Files.writeString(dir.resolve(".epoch-0003-12345.tmp/model.index"), "half");
    Files.createDirectories(dir.resolve(".epoch-0001-12345-deleted.tmp"));
    assertEquals(List.of(dir.resolve("epoch-0002"), dir.resolve("epoch-0001")), store.listNewestFirst());
    store.cleanLeftovers();
    assertEquals(List.of(dir.resolve("epoch-0001"), dir.resolve("epoch-0002")), files(dir));
  }

  @Test
  void pruneKeepsTheLatestAndTheBest(@TempDir Path dir) throws IOException {
    CheckpointStore store = new CheckpointStore(dir, 2);
    try (Model m = new Model()) {
      for (int e = 1; e <= 5; e++) {
        m.set(e);
        store.save(m.session, state(e));
        store.prune(2);
      }
    }
    assertEquals(List.of(dir.resolve("epoch-0002"), dir.resolve("epoch-0004"), dir.resolve("epoch-0005")), files(dir));
  }
}
