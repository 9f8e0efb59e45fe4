package dev.fmnist;

/**
 * Text for the terminal: user-controlled strings (file names, class names, model paths) with their
 * control characters escaped, so a crafted name cannot print a fake line or move the cursor; and
 * counts with the noun in the right number.
 */
public final class TerminalText {
  private TerminalText() {}

  /**
   * {@code s} with every control character escaped: {@code \n}, {@code \r}, and {@code \t} as such, ESC and the others as {@code \xNN} or {@code \}{@code uNNNN}. Printable text, other
   * scripts included, is kept as it is.
   *
   * @param s any text, or null
   * @return the escaped text ({@code "null"} for null)
   */
  public static String escape(Object s) {
    String text = String.valueOf(s);
    if (!needsEscaping(text)) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (isControl(c)) {
            b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * {@code 1 epoch}, {@code 2 epochs}, {@code 0 epochs}: the count and the noun, with an {@code s}
   * unless the count is one.
   *
   * @param n the count
   * @param noun the singular noun
   * @return the count and the noun
   */
  public static String plural(long n, String noun) {
    return String.format(java.util.Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  private static boolean needsEscaping(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isControl(c)) {
        return true;
      }
    }
    return false;
  }

  /** C0, DEL, C1, and the bidirectional and line/paragraph separators that can fake a line. */
  private static boolean isControl(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
