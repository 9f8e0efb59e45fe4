package dev.fmnist;

import dev.fmnist.cli.FmnistCommand;
import java.io.PrintWriter;

/** Process entry point: the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  /**
   * Runs the command line and exits the process with the command's exit code (see {@code
   * docs/contracts.md}).
   *
   * @param args the command-line arguments, e.g. {@code train configs/cnn.yaml}
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = FmnistCommand.run(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
