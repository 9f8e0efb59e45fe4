package dev.fmnist.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code fmnist} in-process and keeps what it printed. */
record Cli(int code, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = FmnistCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** The one error line, asserting there is exactly one line on stderr. */
  String errorLine() {
    String[] lines = err.strip().split("\n");
    if (lines.length != 1 && !(lines.length == 2 && lines[1].startsWith("Try '"))) {
      throw new AssertionError("expected one error line, got:\n" + err);
    }
    return lines[0];
  }
}
