package dev.fmnist;

import dev.fmnist.cli.FmnistCommand;
import java.io.PrintWriter;

/** Process entry point: the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = FmnistCommand.run(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
