package dev.fmnist.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fmnist data}: inspect, verify, picture or fetch the dataset. */
@Command(
    name = "data",
    description = "Inspect, verify, picture, export as PNG files or download the dataset.",
    subcommands = {
      DataInfoCommand.class,
      DataVerifyCommand.class,
      DataSamplesCommand.class,
      DataImagesCommand.class,
      DataDownloadCommand.class
    })
public final class DataCommand extends FmnistSubcommand {
  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: info, verify, samples, images or download");
  }
}
