package dev.fmnist;

/**
 * A model that cannot be used: a SavedModel or checkpoint that is missing, damaged, refused by the
 * op allowlist, incompatible with the task (input or output shapes), or that fails when it runs.
 */
public class ModelException extends FmnistException {
  private static final long serialVersionUID = 1L;

  /**
   * A model failure described by a one-line message.
   *
   * @param message {@code <model path>: <problem>}
   */
  public ModelException(String message) {
    super(message);
  }

  /**
   * A model failure described by a one-line message, with the exception that caused it.
   *
   * @param message {@code <model path>: <problem>}
   * @param cause the underlying failure, e.g. a TensorFlow error, or null
   */
  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
