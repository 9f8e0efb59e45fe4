package dev.fmnist.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code fmnist} subcommand has: {@code -h/--help} and {@code -V/--version} (the versions
 * {@code fmnist --version} prints), and the
 * picocli spec through which it reaches its output streams. The exit code is what {@link #call}
 * returns, or {@link ExitCode#of} the exception it throws.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
abstract class FmnistSubcommand implements Callable<Integer> {
  /** This command as picocli parsed it: {@code spec.commandLine().getOut()} is its standard output. */
  @Spec CommandSpec spec;
}
