package dev.fmnist.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.regex.Pattern;

/**
 * A model and training recipe, one YAML file in {@code configs/}. Immutable; every value is
 * checked when it is built.
 *
 * @param name the model name, used for {@code savedmodels/<name>/} and {@code runs/<name>/}
 * @param description free text shown in reports
 * @param model the architecture
 * @param training how to train it
 * @param data the images it trains on; null (no {@code data:} section, left out of the recipe's
 *     JSON) means Fashion-MNIST by the usual lookup
 */
public record Recipe(String name, String description, ModelSpec model, TrainingSpec training,
    @JsonInclude(JsonInclude.Include.NON_NULL) DataSpec data) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /**
   * Checks the values; a null description is "" and null training is the defaults.
   *
   * @param name 1-64 letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or
   *     digit
   * @param description free text, or null
   * @param model the architecture (required)
   * @param training how to train it, or null for the defaults
   * @param data the images to train on, or null for Fashion-MNIST
   * @throws ConfigException naming {@code name} or {@code model} when it is invalid or missing
   */
  public Recipe {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigException(
          "name",
          "must be 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit, found "
              + (name == null ? "nothing" : "'" + name + "'"));
    }
    description = description == null ? "" : description;
    if (model == null) {
      throw new ConfigException("model", "is required");
    }
    training = training == null ? TrainingSpec.defaults() : training;
  }

  /**
   * A recipe that trains on Fashion-MNIST.
   *
   * @param name the model name, as for the canonical constructor
   * @param description free text, or null
   * @param model the architecture
   * @param training how to train it, or null for the defaults
   */
  public Recipe(String name, String description, ModelSpec model, TrainingSpec training) {
    this(name, description, model, training, null);
  }

  /**
   * The data section, or Fashion-MNIST's ({@link DataSpec#fashionMnist()}) when the recipe has none.
   *
   * @return {@link #data}, or {@link DataSpec#fashionMnist()} when it is null
   */
  @JsonIgnore
  public DataSpec dataOrDefault() {
    return data != null ? data : DataSpec.fashionMnist();
  }

  /**
   * A builder starting from this recipe.
   *
   * @return a builder holding this recipe's values
   */
  public Builder toBuilder() {
    return new Builder().name(name).description(description).model(model).training(training).data(data);
  }

  /**
   * Changes parts of a {@link Recipe}, e.g. {@code recipe.toBuilder().training(t -> t.epochs(2)).build()};
   * {@link #build} checks the result as the constructor does.
   */
  public static final class Builder {
    private String name;
    private String description;
    private ModelSpec model;
    private TrainingSpec training;
    private DataSpec data;

    private Builder() {}

    /**
     * Sets the model name.
     *
     * @param v the name, checked by {@link #build}
     * @return this builder
     */
    public Builder name(String v) {
      name = v;
      return this;
    }

    /**
     * Sets the description.
     *
     * @param v free text shown in reports, or null for ""
     * @return this builder
     */
    public Builder description(String v) {
      description = v;
      return this;
    }

    /**
     * Sets the architecture.
     *
     * @param v the architecture (required)
     * @return this builder
     */
    public Builder model(ModelSpec v) {
      model = v;
      return this;
    }

    /**
     * Sets the training values.
     *
     * @param v how to train, or null for the defaults
     * @return this builder
     */
    public Builder training(TrainingSpec v) {
      training = v;
      return this;
    }

    /**
     * The data section (null: Fashion-MNIST by the usual lookup).
     *
     * @param v the data section, or null for Fashion-MNIST
     * @return this builder
     */
    public Builder data(DataSpec v) {
      data = v;
      return this;
    }

    /**
     * Changes some training values, e.g. {@code t -> t.epochs(2).seed(7)}.
     *
     * @param change applied to a builder of the current training values
     * @return this builder
     */
    public Builder training(java.util.function.UnaryOperator<TrainingSpec.Builder> change) {
      training = change.apply(training.toBuilder()).build();
      return this;
    }

    /**
     * The recipe.
     *
     * @return a new recipe with the builder's values
     * @throws ConfigException naming the key of a value that is out of range
     */
    public Recipe build() {
      return new Recipe(name, description, model, training, data);
    }
  }
}
