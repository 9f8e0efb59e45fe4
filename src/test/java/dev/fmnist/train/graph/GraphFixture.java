package dev.fmnist.train.graph;

import dev.fmnist.model.Initializer;
import dev.fmnist.model.VariableStore;
import dev.fmnist.train.SessionOptions;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A graph, its root ops, a variable store and a one-thread session, for tests on literal inputs. */
final class GraphFixture implements AutoCloseable {
  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final VariableStore vars = new VariableStore(tf, VariableStore.Policy.INITIALIZE, 1);
  private final List<Op> literals = new ArrayList<>();
  private Session session;

  /** A trainable reference variable that holds {@code values} once the session starts. */
  Variable<TFloat32> variable(String name, Shape shape, float... values) {
    Variable<TFloat32> v = vars.variable(name, shape, Initializer.ZEROS, true);
    literals.add(tf.assign(v, tf.reshape(tf.constant(values), tf.constant(shape.asArray()))));
    return v;
  }

  Session session() {
    if (session == null) {
      session = new Session(graph, new SessionOptions(SessionOptions.Device.CPU, 1, 1).config());
      session.initialize();
      for (Op assign : literals) {
        run(assign);
      }
    }
    return session;
  }

  float[] floats(Operand<TFloat32> x) {
    try (Result r = session().runner().fetch(x).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  float scalar(Operand<TFloat32> x) {
    return floats(x)[0];
  }

  void run(Op target) {
    session().runner().addTarget(target).run().close();
  }

  /** The raw bits of each float, to compare for bit identity. */
  static int[] bits(float[] values) {
    int[] b = new int[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = Float.floatToRawIntBits(values[i]);
    }
    return b;
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
