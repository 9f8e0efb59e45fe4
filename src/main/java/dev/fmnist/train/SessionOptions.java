package dev.fmnist.train;

import dev.fmnist.config.ConfigException;
import dev.fmnist.FmnistException;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/** Where and how sessions run: CPU or the first CUDA GPU, and the CPU thread pools. */
public record SessionOptions(Device device, int intraOpThreads, int interOpThreads) {
  /** Compute device. */
  public enum Device {
    /** The CPU. */
    CPU,
    /** The first CUDA GPU (needs the {@code gpu} build). */
    GPU
  }

  /**
   * The most threads per core a thread option may ask for: some oversubscription is harmless (and
   * can help while a thread waits on memory), a hundred thousand threads thrash the machine.
   */
  public static final int MAX_THREADS_PER_CORE = 4;

  /**
   * Checks the thread counts.
   *
   * @param device the compute device
   * @param intraOpThreads threads for one op's kernel, 0 to {@link #maxThreads} (0: TensorFlow chooses)
   * @param interOpThreads threads running independent ops side by side, 0 to {@link #maxThreads}
   *     (0: TensorFlow chooses)
   * @throws dev.fmnist.config.ConfigException when a count is negative or above {@link #maxThreads}
   */
  public SessionOptions {
    checkThreads("--threads", intraOpThreads);
    checkThreads("--threads", interOpThreads);
  }

  /**
   * The most threads a thread option may ask for on this machine: {@value #MAX_THREADS_PER_CORE}
   * per core ({@code Runtime.availableProcessors()}).
   *
   * @return the limit
   */
  public static int maxThreads() {
    return MAX_THREADS_PER_CORE * dev.fmnist.Machine.cores();
  }

  /**
   * Checks a thread count (threads, or processes at once) before any work: 0 to {@link #maxThreads()}.
   *
   * @param option the option's name for the message, e.g. {@code --threads}
   * @param n the count asked for (0 lets TensorFlow choose)
   * @return {@code n}
   * @throws ConfigException (exit 2) naming the option, the value and the limit
   */
  public static int checkThreads(String option, int n) {
    if (n < 0) {
      throw new ConfigException(option + ": must be >= 0 (0 lets TensorFlow choose), found " + n);
    }
    int cores = dev.fmnist.Machine.cores();
    if (n > maxThreads()) {
      throw new ConfigException(option + ": " + n + " is more than " + maxThreads() + " (at most "
          + MAX_THREADS_PER_CORE + " per core; this machine has " + cores + (cores == 1 ? " core)" : " cores)"));
    }
    return n;
  }

  /**
   * The default: every core for the kernels and two inter-op threads (one where there is one core).
   * Measured on 2 cores (tools/bench/RESULTS.md): resnet steps took a median 75.8 ms with 2
   * inter-op threads against 84.7 ms with one (the shortcut and the main branch of a residual block
   * run side by side); cnn steps 19.9 vs 22.4 ms, within the noise.
   *
   * @return the CPU options for this machine
   */
  public static SessionOptions cpuDefault() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new SessionOptions(Device.CPU, cores, Math.min(2, cores));
  }

  /**
   * What {@code --device} and {@code --threads} ask for. Without a thread count: {@link
   * #cpuDefault} on the CPU; on the GPU every core and one inter-op thread (the kernels run on the
   * device). With one: that many intra-op threads and one inter-op thread ({@code 0}: TensorFlow
   * chooses both).
   *
   * @param device where the kernels run
   * @param threads intra-op threads, or null for the default
   * @return the options
   */
  public static SessionOptions of(Device device, Integer threads) {
    if (threads != null) {
      return new SessionOptions(device, threads, threads == 0 ? 0 : 1);
    }
    return device == Device.CPU ? cpuDefault()
        : new SessionOptions(device, Runtime.getRuntime().availableProcessors(), 1);
  }

  /**
   * The CPU with {@code intra} intra-op threads and as many inter-op threads as {@link #cpuDefault}
   * has, but no more than {@code intra}: what each trial of a sweep gets.
   *
   * @param intra intra-op threads, 1 or more
   * @return the options
   */
  public static SessionOptions cpu(int intra) {
    return new SessionOptions(Device.CPU, intra, Math.min(cpuDefault().interOpThreads(), Math.max(1, intra)));
  }

  /**
   * {@code cpu} or {@code gpu}, as manifests write it.
   *
   * @return the device's name in lower case
   */
  public String deviceName() {
    return device.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The session configuration proto, in float32.
   *
   * @return the configuration of a float32 session
   */
  public ConfigProto config() {
    return config(dev.fmnist.config.TrainingSpec.Precision.FLOAT32);
  }

  /**
   * The session configuration proto. {@code BF16} turns on TensorFlow's oneDNN bfloat16
   * auto-mixed-precision rewriter: eligible ops (convolutions, matrix products) run in bfloat16 on
   * CPUs with AVX512-BF16 or AMX, variables stay float32.
   *
   * @param precision {@code FLOAT32} or {@code BF16}
   * @return the configuration
   */
  public ConfigProto config(dev.fmnist.config.TrainingSpec.Precision precision) {
    ConfigProto.Builder b =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(intraOpThreads)
            .setInterOpParallelismThreads(interOpThreads)
            .setAllowSoftPlacement(true)
            .setLogDevicePlacement(logDevicePlacement());
    if (precision == dev.fmnist.config.TrainingSpec.Precision.BF16) {
      b.setGraphOptions(org.tensorflow.proto.GraphOptions.newBuilder()
          .setRewriteOptions(org.tensorflow.proto.RewriterConfig.newBuilder()
              .setAutoMixedPrecisionOnednnBfloat16(org.tensorflow.proto.RewriterConfig.Toggle.ON)));
    }
    if (device == Device.GPU) {
      b.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true).build());
    } else {
      b.putDeviceCount("GPU", 0);
    }
    return b.build();
  }

  /**
   * Whether TensorFlow prints the device of every op when a session is created ({@code
   * FMNIST_LOG_DEVICE_PLACEMENT=1}): how tools/bench/gpu.sh checks that the training ops run on the GPU
   * (soft placement would otherwise move an op without a GPU kernel to the CPU silently).
   */
  static boolean logDevicePlacement() {
    return "1".equals(System.getenv("FMNIST_LOG_DEVICE_PLACEMENT"));
  }

  /**
   * One line for the start of training, e.g. {@code device: cpu, 2 intra-op / 1 inter-op threads}.
   *
   * @return the line, without a line break
   */
  public String describe() {
    String threads = (intraOpThreads == 0 ? "auto" : Integer.toString(intraOpThreads)) + " intra-op / "
        + (interOpThreads == 0 ? "auto" : Integer.toString(interOpThreads)) + " inter-op threads";
    return device == Device.GPU ? "device: gpu (/device:GPU:0), " + threads : "device: cpu, " + threads;
  }

  /**
   * Fails with a clear error when the GPU was asked for but TensorFlow sees none (the CPU build of
   * fmnist, or no CUDA driver): runs one op pinned to /device:GPU:0 with soft placement off.
   */
  public void checkDevice() {
    if (device != Device.GPU) {
      return;
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(
          org.tensorflow.DeviceSpec.newBuilder().deviceType(org.tensorflow.DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
      var sum = tf.math.add(tf.constant(1f), tf.constant(1f));
      ConfigProto strict = config().toBuilder().setAllowSoftPlacement(false).build();
      try (Session s = new Session(g, strict);
          var r = s.runner().fetch(sum).run()) {
        ((TFloat32) r.get(0)).getFloat();
      }
    } catch (TensorFlowException | IllegalArgumentException e) {
      throw new ConfigException(
          "--device gpu: TensorFlow found no CUDA GPU ("
              + FmnistException.firstLine(e.getMessage())
              + "); build with 'mvn -Pgpu package' on a machine with an NVIDIA GPU, CUDA 12 and cuDNN 9, or use --device cpu",
          e);
    }
  }

}
