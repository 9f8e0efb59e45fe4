package dev.fmnist.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLocatorTest {
  @TempDir Path root;
  Path explicit;
  Path fromEnv;
  Path project;
  Path system;

  @BeforeEach
  void fourCompleteDirectories() throws IOException {
    explicit = IdxFixtures.writeTinyDataset(root.resolve("explicit"));
    fromEnv = IdxFixtures.writeTinyDataset(root.resolve("env"));
    project = IdxFixtures.writeTinyDataset(root.resolve("project"));
    system = IdxFixtures.writeTinyDataset(root.resolve("system"));
  }

  private Path locate(Path dataDir, Map<String, String> env) {
    return DatasetLocator.locate(dataDir, env, project, system);
  }

  @Test
  void looksInOrderOptionThenEnvironmentThenProjectThenSystem() throws IOException {
    Map<String, String> env = Map.of(DatasetLocator.ENV, fromEnv.toString());
    assertEquals(explicit, locate(explicit, env));
    assertEquals(fromEnv, locate(null, env));
    assertEquals(project, locate(null, Map.of()));
    assertEquals(project, locate(null, Map.of(DatasetLocator.ENV, " ")));
    Files.delete(project.resolve("train-labels-idx1-ubyte.gz"));
    assertEquals(system, locate(null, Map.of()));
  }

  @Test
  void saysHowToGetTheDataWhenNothingIsFound() {
    FmnistException e =
        assertThrows(
            FmnistException.class,
            () -> DatasetLocator.locate(null, Map.of(), root.resolve("none"), root.resolve("nothing")));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().contains("fmnist data download"), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
  }

  @Test
  void anExplicitDirectoryMustExistAndBeComplete() throws IOException {
    Path missing = root.resolve("missing");
    FmnistException e = assertThrows(FmnistException.class, () -> locate(missing, Map.of()));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith(missing + ": no such directory (from --data-dir)"), e.getMessage());

    Files.delete(fromEnv.resolve("t10k-images-idx3-ubyte.gz"));
    e = assertThrows(FmnistException.class, () -> locate(null, Map.of(DatasetLocator.ENV, fromEnv.toString())));
    assertEquals(
        fromEnv + ": missing t10k-images-idx3-ubyte[.gz] (from $FMNIST_DATA); 'fmnist data download --data-dir "
            + fromEnv + "' fetches them",
        e.getMessage());
  }
}
