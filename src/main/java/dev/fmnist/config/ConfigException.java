package dev.fmnist.config;

/**
 * A recipe value that is out of range or inconsistent, thrown from record constructors. {@link
 * RecipeLoader} prefixes the file and the path of the enclosing object.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;

  /**
   * @param key the YAML key of the bad value, e.g. {@code filters}
   * @param problem what is wrong, e.g. {@code must be >= 1, found 0}
   */
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The YAML key of the bad value. */
  public String key() {
    return key;
  }

  /** The problem without the key. */
  public String problem() {
    return getMessage().substring(key.length() + 2);
  }

  static int atLeast(String key, Integer value, int min, int dflt) {
    int v = value == null ? dflt : value;
    if (v < min) {
      throw new ConfigException(key, "must be >= " + min + ", found " + v);
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
