package dev.fmnist.cli;

import dev.fmnist.AtomicFiles;
import dev.fmnist.config.ConfigException;
import dev.fmnist.FmnistException;
import dev.fmnist.data.DatasetDownloader;
import dev.fmnist.data.DatasetLocator;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fmnist data download}: fetch and verify the four files. */
@Command(
    name = "download",
    description =
        "Download the four .gz files, verify each (decompressed SHA-256) and save it atomically."
            + " Files already present and verified are kept; a bad download is never kept.")
final class DataDownloadCommand extends FmnistSubcommand {

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where to save the files (default: ${DEFAULT-VALUE}).")
  Path dataDir = DatasetLocator.PROJECT_DIR;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "Where the .gz files are (default: ${DEFAULT-VALUE}).")
  String baseUrl = DatasetDownloader.OFFICIAL_BASE_URI.toString();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    URI base = parseBaseUrl();
    AtomicFiles.requireWritableDirectory(dataDir); // before any download
    out.println("Downloading Fashion-MNIST from " + base + " into " + dataDir);
    out.flush();
    new DatasetDownloader(base).download(dataDir, new DownloadProgress(out, TerminalProgress.onTerminal()));
    out.println("Fashion-MNIST is ready in " + dataDir + " (all four files verified)");
    out.flush();
    return 0;
  }

  private URI parseBaseUrl() {
    URI uri;
    try {
      uri = new URI(baseUrl);
    } catch (URISyntaxException e) {
      throw new ConfigException("--base-url: not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme();
    boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    if (!web || uri.getHost() == null) {
      throw new ConfigException("--base-url: must be an http:// or https:// URL, found " + baseUrl);
    }
    return uri;
  }
}
