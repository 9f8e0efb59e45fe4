package dev.fmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fmnist.data.DatasetLocator;
import dev.fmnist.data.FashionMnist;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the one {@code java} block of README.md against fmnist's classes and dependencies (what
 * {@code target/fmnist.jar} and {@code target/lib/*} hold) and runs it in a child JVM from the
 * project's root, on the real dataset: it trains, exports and evaluates, and its history.csv holds
 * the callback's metric. The README cannot drift from the API.
 */
class ReadmeJavaExampleTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  static String javaBlock() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    Matcher m = JAVA_BLOCK.matcher(readme);
    assertTrue(m.find(), "README.md has a java block");
    String block = m.group(1);
    assertTrue(!m.find(), "README.md has one java block");
    return block;
  }

  @Test
  void theReadmeExampleCompilesAndRuns(@TempDir Path tmp) throws Exception {
    assumeTrue(FashionMnist.isComplete(DatasetLocator.DEBIAN_DIR) || System.getenv("FMNIST_DATA") != null,
        "the real dataset is not installed");
    String source = javaBlock();
    Matcher cls = Pattern.compile("public class (\\w+)").matcher(source);
    assertTrue(cls.find(), "the block declares a public class");
    Path src = tmp.resolve("src").resolve(cls.group(1) + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    String classpath = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled = javac.run(null, null, null, "-d", classes.toString(), "-cp", classpath, "-Xlint:all,-path",
        "-Werror", src.toString());
    assertEquals(0, compiled, "the README's example compiles without warnings");

    Path work = tmp.resolve("work");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx2g", "-cp", classes + File.pathSeparator + classpath, cls.group(1),
        work.toString())
        .directory(Path.of("").toAbsolutePath().toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "finished");
    assertEquals(0, p.exitValue(), output);
    Matcher done = Pattern.compile("(\\d) epochs, test accuracy (0\\.\\d{4})").matcher(output);
    assertTrue(done.find(), output);
    assertTrue(Double.parseDouble(done.group(2)) > 0.8, output);
    List<String> history = Files.readAllLines(work.resolve("run/history.csv"));
    assertTrue(history.get(0).endsWith(",overfit_gap"), history.get(0));
    assertEquals(Integer.parseInt(done.group(1)) + 1, history.size(), "a row per epoch trained");
    assertTrue(Files.isRegularFile(work.resolve("savedmodels/mlp/1/saved_model.pb")));
  }
}
