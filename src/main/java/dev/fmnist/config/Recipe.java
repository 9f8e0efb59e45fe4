package dev.fmnist.config;

import java.util.regex.Pattern;

/**
 * A model and training recipe, one YAML file in {@code configs/}. Immutable; every value is
 * checked when it is built.
 *
 * @param name the model name, used for {@code savedmodels/<name>/} and {@code runs/<name>/}
 * @param description free text shown in reports
 * @param model the architecture
 * @param training how to train it
 */
public record Recipe(String name, String description, ModelSpec model, TrainingSpec training) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

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

  /** This recipe with the training part replaced (command-line overrides). */
  public Recipe withTraining(TrainingSpec newTraining) {
    return new Recipe(name, description, model, newTraining);
  }
}
