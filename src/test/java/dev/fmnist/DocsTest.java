package dev.fmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation fits and holds together: README.md stays short and keeps the two set-up
 * commands, docs/contracts.md exists, nothing refers to files outside the repository, and every
 * relative Markdown link in README.md and docs/*.md reaches an existing file and, for an {@code
 * #anchor} into a Markdown file, an existing heading (GitHub's anchor rules). Each check is also
 * run on made-up files that break it, so that it can be seen to fail.
 */
class DocsTest {
  /** The repository root: Maven runs tests in the module directory. */
  private static final Path ROOT = Path.of("").toAbsolutePath();

  static final int README_MAX_BYTES = 12_000;
  /** The set-up commands users and CI copy from README.md, each as its own fenced block. */
  static final List<String> SET_UP_BLOCKS =
      List.of("```\ntools/quickstart.sh\n```\n", "```\ntools/install-deps.sh && mvn -B verify\n```\n");
  /** Files only the developers have; split so that this file does not mention them itself. */
  static final List<String> OUTSIDE_REFERENCES = List.of(".." + "/shared", "CONTRACTS" + ".md");
  /** Where those references must not appear. */
  static final List<String> SCANNED = List.of("README.md", "docs", "src", "tools");

  private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern INLINE_CODE = Pattern.compile("(`+)(.+?)\\1");
  /** {@code [text](target)} and {@code ![alt](target)}, with an optional title. */
  private static final Pattern LINK =
      Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  /** {@code [label]: target} reference definitions. */
  private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  @Test
  void readmeFitsInTwelveThousandBytes() throws IOException {
    assertEquals(List.of(), readmeProblems(Files.readAllBytes(ROOT.resolve("README.md"))));
  }

  @Test
  void contractsPageExists() {
    Path contracts = ROOT.resolve("docs/contracts.md");
    assertTrue(Files.isRegularFile(contracts), contracts + " is missing");
  }

  @Test
  void nothingRefersToFilesOutsideTheRepository() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String entry : SCANNED) {
      problems.addAll(outsideReferences(ROOT, ROOT.resolve(entry)));
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyRelativeLinkInTheDocsResolves() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> problems = new ArrayList<>();
    for (Path page : pages) {
      problems.addAll(brokenLinks(ROOT, page));
    }
    assertEquals(List.of(), problems);
  }

  // The checks above, on made-up files that break them.

  @Test
  void theReadmeCheckRefusesALongReadmeAndOneWithoutTheSetUpCommands() {
    String ok = "# x\n\n" + String.join("\n", SET_UP_BLOCKS);
    assertEquals(List.of(), readmeProblems(ok.getBytes(StandardCharsets.UTF_8)));
    String tooLong = ok + "y".repeat(README_MAX_BYTES);
    assertEquals(1, readmeProblems(tooLong.getBytes(StandardCharsets.UTF_8)).size());
    String edited = ok.replace("mvn -B verify", "mvn verify");
    assertEquals(1, readmeProblems(edited.getBytes(StandardCharsets.UTF_8)).size());
  }

  @Test
  void theReferenceCheckFindsAMentionInAnyFileUnderADirectory(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("tools/sub"));
    Files.writeString(dir.resolve("tools/sub/a.sh"), "# see " + OUTSIDE_REFERENCES.get(1) + "\n");
    Files.writeString(dir.resolve("tools/b.py"), "open('" + OUTSIDE_REFERENCES.get(0) + "/x')\n");
    Files.writeString(dir.resolve("tools/c.md"), "see docs/contracts.md\n");
    List<String> problems = outsideReferences(dir, dir.resolve("tools"));
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("tools/b.py:1:"), problems.toString());
    assertTrue(problems.get(1).startsWith("tools/sub/a.sh:1:"), problems.toString());
  }

  @Test
  void theLinkCheckFindsMissingFilesMissingHeadingsAndLinksOutOfTheRepository(@TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/b.md"), "# B page\n\n## The `x` part\n\n```\n# not a heading\n```\n");
    Files.writeString(dir.resolve("docs/a.md"), String.join("\n",
        "# A",
        "[ok](b.md) [ok](b.md#the-x-part) [ok](#a) [ok](../docs/b.md) [web](https://example.com/x.md)",
        "[gone](missing.md) [no heading](b.md#not-a-heading) [no heading here](#nope)",
        "[outside](../../elsewhere.md)",
        "`[in code](missing-too.md)`",
        "```",
        "[in a fence](missing-three.md)",
        "```",
        "[ref]: c.md",
        "[a link over",
        "two lines](gone-too.md)",
        ""));
    List<String> problems = brokenLinks(dir, dir.resolve("docs/a.md"));
    assertEquals(6, problems.size(), problems.toString());
    for (String broken : List.of("link missing.md:", "link b.md#not-a-heading:", "link #nope:",
        "link ../../elsewhere.md:", "link c.md:", "link gone-too.md:")) {
      assertTrue(problems.stream().anyMatch(p -> p.contains(broken)), broken + " not in " + problems);
    }
  }

  @Test
  void anchorsFollowGitHubsRules() {
    assertEquals(List.of("fmnist-train", "python-keras-and-tf-serving", "recipes-configs",
            "evaluationjson", "fmnist-sweep-sweep_file", "manifest-assetsextrafmnistjson",
            "see-the-page", "python-keras-and-tf-serving-1", "a--b"),
        anchors(List.of("### `fmnist train`", "## Python, Keras and TF Serving", "## Recipes (`configs/`)",
            "## evaluation.json", "### `fmnist sweep SWEEP_FILE`", "### Manifest: `assets.extra/fmnist.json`",
            "## See [the page](x.md)", "# Python, Keras and TF Serving", "## A & B")));
  }

  /** What is wrong with README.md's bytes: too long, or a set-up command missing. */
  static List<String> readmeProblems(byte[] readme) {
    List<String> problems = new ArrayList<>();
    if (readme.length > README_MAX_BYTES) {
      problems.add("README.md: " + readme.length + " bytes, more than " + README_MAX_BYTES);
    }
    String text = new String(readme, StandardCharsets.UTF_8).replace("\r\n", "\n");
    for (String block : SET_UP_BLOCKS) {
      if (!text.contains(block)) {
        problems.add("README.md: the set-up command block " + block.strip().replace('\n', ' ') + " is missing");
      }
    }
    return problems;
  }

  /** Each line of a file at or under {@code start} that names a file outside the repository. */
  static List<String> outsideReferences(Path root, Path start) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(start)) {
      files = s.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("__pycache__"))
          .sorted()
          .toList();
    }
    List<String> problems = new ArrayList<>();
    for (Path f : files) {
      // ISO-8859-1 reads any bytes; the references are ASCII.
      List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
      for (int i = 0; i < lines.size(); i++) {
        for (String ref : OUTSIDE_REFERENCES) {
          if (lines.get(i).contains(ref)) {
            problems.add(root.relativize(f) + ":" + (i + 1) + ": mentions " + ref);
          }
        }
      }
    }
    return problems;
  }

  /**
   * Every relative link of {@code page} that reaches no file, leaves the repository, or names an
   * anchor that no heading of the target Markdown file has. Links in code are not links.
   */
  static List<String> brokenLinks(Path root, Path page) throws IOException {
    List<String> problems = new ArrayList<>();
    Path rootDir = root.toAbsolutePath().normalize();
    for (String target : links(Files.readAllLines(page, StandardCharsets.UTF_8))) {
      if (SCHEME.matcher(target).find()) {
        continue; // https:, mailto:: not files of the repository
      }
      int hash = target.indexOf('#');
      String file = hash < 0 ? target : target.substring(0, hash);
      String anchor = hash < 0 ? "" : target.substring(hash + 1);
      Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
      String where = rootDir.relativize(page.toAbsolutePath().normalize()) + ": link " + target;
      if (!resolved.startsWith(rootDir)) {
        problems.add(where + ": points outside the repository");
      } else if (!Files.exists(resolved)) {
        problems.add(where + ": no such file");
      } else if (!anchor.isEmpty() && resolved.toString().endsWith(".md")
          && !anchors(headings(Files.readAllLines(resolved, StandardCharsets.UTF_8))).contains(anchor)) {
        problems.add(where + ": no heading with anchor #" + anchor + " in " + rootDir.relativize(resolved));
      }
    }
    return problems;
  }

  /**
   * The link targets of Markdown lines, outside fenced code blocks and inline code; a link's text
   * may run over several lines.
   */
  static List<String> links(List<String> lines) {
    List<String> targets = new ArrayList<>();
    StringBuilder prose = new StringBuilder();
    boolean fenced = false;
    for (String line : lines) {
      Matcher ref = REFERENCE.matcher(line);
      if (FENCE.matcher(line).find()) {
        fenced = !fenced;
      } else if (!fenced && ref.matches()) {
        targets.add(ref.group(1));
      } else if (!fenced) {
        prose.append(INLINE_CODE.matcher(line).replaceAll(""));
      }
      prose.append('\n');
    }
    Matcher m = LINK.matcher(prose);
    while (m.find()) {
      targets.add(m.group(2));
    }
    return targets;
  }

  /** The ATX headings of Markdown lines, outside fenced code blocks, as written. */
  static List<String> headings(List<String> lines) {
    List<String> found = new ArrayList<>();
    boolean fenced = false;
    for (String line : lines) {
      if (FENCE.matcher(line).find()) {
        fenced = !fenced;
      } else if (!fenced && HEADING.matcher(line).matches()) {
        found.add(line);
      }
    }
    return found;
  }

  /**
   * The anchors GitHub gives these headings: the rendered text in lower case, without characters
   * other than letters, digits, marks, connector punctuation ({@code _}), spaces and hyphens, each
   * space a hyphen; a repeated anchor gets {@code -1}, {@code -2}, ...
   */
  static List<String> anchors(List<String> headingLines) {
    List<String> result = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (String line : headingLines) {
      Matcher h = HEADING.matcher(line);
      String text = h.matches() ? h.group(1) : line;
      text = INLINE_CODE.matcher(text).replaceAll("$2");
      text = LINK.matcher(text).replaceAll("$1");
      text = text.replaceAll("<[^>]+>", "");
      String slug = text.toLowerCase(Locale.ROOT)
          .replaceAll("[^\\p{L}\\p{N}\\p{M}\\p{Pc} -]", "")
          .replace(' ', '-');
      String anchor = slug;
      for (int n = 1; !taken.add(anchor); n++) {
        anchor = slug + "-" + n;
      }
      result.add(anchor);
    }
    return result;
  }
}
