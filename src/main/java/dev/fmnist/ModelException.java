package dev.fmnist;

/**
 * A model that cannot be used: a SavedModel or checkpoint that is missing, damaged, refused by the
 * op allowlist, incompatible with the task (input or output shapes), or that fails when it runs.
 */
public class ModelException extends FmnistException {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
