package dev.fmnist.config;

import dev.fmnist.FmnistException;

/**
 * A recipe, sweep file or setting that is invalid: a value out of range, an unknown key, settings
 * that contradict each other. Record constructors throw it with the key of the bad value; {@link
 * RecipeLoader} prefixes the file and the path of the enclosing object.
 */
public class ConfigException extends FmnistException {
  private static final long serialVersionUID = 1L;
  /** The YAML key of the bad value, or "". */
  private final String key;
  /** What is wrong with the value, or the whole message. */
  private final String problem;

  /**
   * @param key the YAML key of the bad value, e.g. {@code filters}
   * @param problem what is wrong, e.g. {@code must be >= 1, found 0}
   */
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
    this.problem = problem;
  }

  /**
   * A problem described by a whole message, e.g. {@code cnn.yaml: training.epochs: must be >= 1}.
   *
   * @param message the complete one-line message, file and key included
   */
  public ConfigException(String message) {
    this(message, (Throwable) null);
  }

  /**
   * A problem described by a whole message, with its cause.
   *
   * @param message the complete one-line message, file and key included
   * @param cause the underlying failure, e.g. a YAML parse error
   */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
    this.key = "";
    this.problem = message;
  }

  /**
   * The key of the bad value, or "" when the message names it.
   *
   * @return the key given to {@link #ConfigException(String, String)}, or "" for a whole message
   */
  public String key() {
    return key;
  }

  /**
   * The problem without the key.
   *
   * @return the problem given to {@link #ConfigException(String, String)}, or the whole message
   */
  public String problem() {
    return problem;
  }

  static int atLeast(String key, Integer value, int min, int dflt) {
    int v = value == null ? dflt : value;
    if (v < min) {
      throw new ConfigException(key, "must be >= " + min + ", found " + v);
    }
    return v;
  }

  /** {@code value} (null: {@code dflt}), refused unless it is in [{@code min}, {@code max}]. */
  static int inRange(String key, Integer value, int min, int max, int dflt) {
    int v = atLeast(key, value, min, dflt);
    if (v > max) {
      throw new ConfigException(key, "must be <= " + max + ", found " + v);
    }
    return v;
  }

  /** {@code value} (null: {@code dflt}), refused unless it is a finite number &gt;= 0. */
  static double nonNegative(String key, Double value, double dflt) {
    double v = value == null ? dflt : value;
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new ConfigException(key, "must be >= 0, found " + v);
    }
    return v;
  }

  static double positive(String key, Double value, double dflt) {
    double v = value == null ? dflt : value;
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new ConfigException(key, "must be a finite number > 0, found " + v);
    }
    return v;
  }

  static double inUnitInterval(String key, Double value, double dflt) {
    double v = value == null ? dflt : value;
    if (!(v >= 0 && v < 1)) {
      throw new ConfigException(key, "must be in [0, 1), found " + v);
    }
    return v;
  }
}
