package dev.fmnist;

/**
 * The base of every failure fmnist reports to its caller: a problem the user can act on, with a
 * one-line message that starts with the thing it is about (a file, a recipe key, a model) followed
 * by a colon and the problem. The subclasses say what kind of thing went wrong:
 *
 * <ul>
 *   <li>{@link dev.fmnist.config.ConfigException}: a recipe, sweep file or setting that is invalid;
 *   <li>{@link dev.fmnist.data.DatasetException}: dataset or image files that cannot be used;
 *   <li>{@link ModelException}: a model or checkpoint that is refused or cannot be used;
 *   <li>{@link StorageException}: reading or writing failed (disk full, unwritable path);
 *   <li>{@link dev.fmnist.train.TrainingDivergedException}: the loss became NaN or infinite.
 * </ul>
 *
 * <p>The library never exits the process or chooses exit codes; the command line maps these types
 * to its exit codes.
 */
public abstract class FmnistException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A failure described by a one-line message.
   *
   * @param message {@code <what>: <problem>}, e.g. {@code cnn.yaml: training.epochs: must be >= 1}
   */
  protected FmnistException(String message) {
    super(message);
  }

  /**
   * A failure described by a one-line message, with the exception that caused it.
   *
   * @param message {@code <what>: <problem>}
   * @param cause the underlying failure, or null
   */
  protected FmnistException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The first line of a message, trimmed ({@code "no detail"} for null): native and library
   * messages often run to several lines, and an error is one line.
   *
   * @param message a message, possibly null or several lines long
   * @return the message up to its first line break, trimmed, or {@code "no detail"} for null
   */
  public static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).trim();
  }
}
