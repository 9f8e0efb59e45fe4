package dev.fmnist.cli;

import java.util.List;

/** The subcommands of {@code fmnist}, in the order {@code --help} lists them. */
final class Subcommands {
  private Subcommands() {}

  static List<Object> all() {
    return List.of(
        new TrainCommand(),
        new ExportCommand(),
        new SweepCommand(),
        new EvaluateCommand(),
        new CompareCommand(),
        new PredictCommand(),
        new ExplainCommand(),
        new DataCommand());
  }
}
