package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import dev.fmnist.FmnistException;
import dev.fmnist.data.DatasetVerifier;
import dev.fmnist.data.DatasetVerifier.FileCheck;
import dev.fmnist.data.DatasetVerifier.Status;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fmnist data verify}: are the four files the originals? */
@Command(
    name = "verify",
    description =
        "Check the four files against the SHA-256 of the original decompressed files: OK,"
            + " MISMATCH, MISSING or INVALID per file. Exit code 2 unless all four are OK.")
final class DataVerifyCommand extends FmnistSubcommand {
  @Mixin DataDirOption data;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = directory();
    out.println("Checking " + dir + " against the SHA-256 of the original (decompressed) files");
    List<String> failed = new ArrayList<>();
    for (FileCheck check : new DatasetVerifier().verify(dir)) {
      String name =
          check.path() == null
              ? check.file().fileName() + "[.gz]"
              : check.path().getFileName().toString();
      String detail =
          switch (check.status()) {
            case OK -> check.sha256();
            case MISMATCH -> check.sha256() + ", expected " + check.expectedSha256();
            case MISSING -> "not found";
            case INVALID -> check.problem();
          };
      out.printf(Locale.ROOT, "%-8s  %-29s  %s%n", check.status(), name, detail);
      if (check.status() != Status.OK) {
        failed.add(name + " " + check.status());
      }
    }
    out.flush();
    if (!failed.isEmpty()) {
      throw new ConfigException(
          dir
              + ": "
              + failed.size()
              + " of 4 files are not the originals ("
              + String.join(", ", failed)
              + ")");
    }
    out.println("all four files are the originals");
    out.flush();
    return 0;
  }

  /** An explicit directory is checked even when files are missing, so each is reported. */
  private Path directory() {
    if (data.dataDir == null) {
      return data.locate();
    }
    if (!Files.isDirectory(data.dataDir)) {
      throw new ConfigException(data.dataDir + ": no such directory (from --data-dir)");
    }
    return data.dataDir;
  }
}
