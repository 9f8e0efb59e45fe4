package dev.fmnist.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fmnist data}: inspect, verify, picture or fetch the dataset. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Inspect, verify, picture, export as PNG files or download the dataset.",
    subcommands = {
      DataInfoCommand.class,
      DataVerifyCommand.class,
      DataSamplesCommand.class,
      DataImagesCommand.class,
      DataDownloadCommand.class
    })
public final class DataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: info, verify, samples, images or download");
  }
}
