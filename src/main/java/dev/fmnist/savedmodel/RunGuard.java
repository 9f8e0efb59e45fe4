package dev.fmnist.savedmodel;

import dev.fmnist.Machine;
import dev.fmnist.ModelException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * Guards against a runaway model whose ops all pass {@link OpAllowlist} (a {@code Fill} of a
 * 200000x200000 shape, a long chain of large matrix products): before a batch runs, the memory and
 * the arithmetic its ops need at least are worked out from the shapes TensorFlow inferred when the
 * graph was loaded, and the model is refused when they are over the machine's memory or {@link
 * #MAX_FLOPS_PER_IMAGE}.
 *
 * <p>Both figures are lower bounds, over the ops the graph runs to the fetched output, with the
 * unknown batch dimension set to the batch size and other unknown dimensions to 1. Memory: the
 * largest over the ops of an op's output plus its inputs (they are alive together). Arithmetic: the
 * products and convolutions ({@code MatMul}, {@code BatchMatMul*}, {@code Conv2D}, {@code
 * DepthwiseConv2dNative}), summed. A shape computed at run time, or an op inside a function, is not
 * seen. TensorFlow's {@code RunOptions.timeout_in_ms} is no help here: it makes the call fail at
 * the deadline, but only after the kernels already scheduled have run to the end (measured: a chain
 * of products ran as long with a 0.5 s deadline as without).
 */
public final class RunGuard {
  /**
   * The most floating-point operations one image may take (10^12: tens of seconds on a CPU; the
   * largest shipped model takes about 10^8).
   */
  public static final double MAX_FLOPS_PER_IMAGE = 1e12;

  private RunGuard() {}

  /**
   * What a run of the graph needs at least.
   *
   * @param bytes the memory of its biggest single step: an op's output and inputs
   * @param op that op's name and type, e.g. {@code 'hostile/fill' (Fill)}
   * @param shape its largest output's type and shape, e.g. {@code float [200000, 200000]}
   * @param flops the floating-point operations of its products and convolutions
   * @param flopsOp the op with the most of them
   */
  public record Cost(double bytes, String op, String shape, double flops, String flopsOp) {}

  /**
   * What computing {@code output} at {@code batch} needs at least.
   *
   * @param graph the loaded graph
   * @param output the fetched tensor's name, e.g. {@code logits:0}
   * @param batch the batch size
   * @return the cost; zero when the output is not in the graph or no shape is known
   */
  public static Cost cost(Graph graph, String output, long batch) {
    String opName = output.contains(":") ? output.substring(0, output.lastIndexOf(':')) : output;
    GraphOperation start = graph.operation(opName);
    double peak = 0;
    String peakOp = "";
    String peakShape = "";
    double flops = 0;
    double mostFlops = 0;
    String flopsOp = "";
    if (start == null) {
      return new Cost(0, "", "", 0, "");
    }
    Deque<GraphOperation> todo = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    todo.push(start);
    seen.add(start.name());
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      double bytes = 0;
      double largest = -1;
      String largestShape = "";
      for (int i = 0; i < op.numOutputs(); i++) {
        Output<?> o = op.output(i);
        double b = bytes(o, batch);
        bytes += b;
        if (b > largest) {
          largest = b;
          largestShape = describe(o);
        }
      }
      for (Operand<?> in : op.inputs()) {
        bytes += bytes(in.asOutput(), batch);
        enqueue((GraphOperation) in.op(), todo, seen);
      }
      for (GraphOperation c : op.controlInputs()) {
        enqueue(c, todo, seen);
      }
      if (bytes > peak) {
        peak = bytes;
        peakOp = name(op);
        peakShape = largestShape;
      }
      double f = flops(op, batch);
      flops += f;
      if (f > mostFlops) {
        mostFlops = f;
        flopsOp = name(op);
      }
    }
    return new Cost(peak, peakOp, peakShape, flops, flopsOp);
  }

  private static String name(GraphOperation op) {
    return "'" + op.name() + "' (" + op.type() + ")";
  }

  private static void enqueue(GraphOperation op, Deque<GraphOperation> todo, Set<String> seen) {
    if (seen.add(op.name())) {
      todo.push(op);
    }
  }

  /**
   * Refuses to run {@code output} at {@code batch} when one op of it needs more than {@code
   * memoryBytes}, or one image more than {@link #MAX_FLOPS_PER_IMAGE} operations.
   *
   * @param model the model directory, for the message
   * @param graph the loaded graph
   * @param output the fetched tensor
   * @param batch the batch size
   * @param memoryBytes the memory there is ({@link Machine#physicalMemoryBytes()})
   * @throws ModelException (exit 2) naming the model, the op and the limit
   */
  public static void check(Path model, Graph graph, String output, long batch, long memoryBytes) {
    Cost c = cost(graph, output, batch);
    if (c.bytes() > memoryBytes) {
      throw new ModelException(String.format(Locale.ROOT,
          "%s: refused: op %s makes %s, so a batch of %d needs at least %s; this machine has %s", model, c.op(),
          c.shape(), batch, Machine.bytes(c.bytes()), Machine.bytes(memoryBytes)));
    }
    if (batch == 1 && c.flops() > MAX_FLOPS_PER_IMAGE) {
      throw new ModelException(String.format(Locale.ROOT,
          "%s: refused: one image takes at least %.2g floating-point operations (the most: op %s), more than the"
              + " %.0e fmnist runs per image", model, c.flops(), c.flopsOp(), MAX_FLOPS_PER_IMAGE));
    }
  }

  /** Multiply-adds (two operations each) of a product or convolution, else 0. */
  private static double flops(GraphOperation op, long batch) {
    String t = op.type();
    if (op.numInputs() < 2 || op.numOutputs() < 1) {
      return 0;
    }
    Shape out = op.output(0).shape();
    Shape a = op.input(0).shape();
    Shape b = op.input(1).shape();
    if (out.isUnknown() || a.isUnknown() || b.isUnknown()) {
      return 0;
    }
    double outputs = elements(out, batch);
    if (t.equals("MatMul") || t.startsWith("BatchMatMul")) {
      if (a.numDimensions() < 2 || b.numDimensions() < 2 || out.numDimensions() < 2) {
        return 0;
      }
      double inner = Math.sqrt(last2(a, batch) * last2(b, batch) / Math.max(1, last2(out, batch)));
      return 2 * outputs * inner;
    }
    if ((t.equals("Conv2D") || t.equals("DepthwiseConv2dNative")) && b.numDimensions() == 4) {
      double window = dim(b, 0, batch) * dim(b, 1, batch);
      return 2 * outputs * window * (t.equals("Conv2D") ? dim(b, 2, batch) : 1);
    }
    return 0;
  }

  private static double last2(Shape s, long batch) {
    int n = s.numDimensions();
    return dim(s, n - 2, batch) * dim(s, n - 1, batch);
  }

  private static double dim(Shape s, int i, long batch) {
    long d = s.size(i);
    return d >= 0 ? d : (i == 0 ? batch : 1);
  }

  private static double elements(Shape s, long batch) {
    double n = 1;
    for (int i = 0; i < s.numDimensions(); i++) {
      n *= dim(s, i, batch);
    }
    return n;
  }

  private static double bytes(Output<?> o, long batch) {
    Shape s = o.shape();
    return s.isUnknown() ? 0 : elements(s, batch) * elementBytes(o.dataType());
  }

  private static String describe(Output<?> o) {
    String type = o.dataType().name().replaceFirst("^DT_", "").toLowerCase(Locale.ROOT);
    return type + " " + o.shape();
  }

  private static int elementBytes(DataType t) {
    return switch (t) {
      case DT_BOOL, DT_INT8, DT_UINT8, DT_QINT8, DT_QUINT8 -> 1;
      case DT_INT16, DT_UINT16, DT_HALF, DT_BFLOAT16, DT_QINT16, DT_QUINT16 -> 2;
      case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64, DT_STRING -> 8;
      case DT_COMPLEX128 -> 16;
      default -> 4;
    };
  }
}
