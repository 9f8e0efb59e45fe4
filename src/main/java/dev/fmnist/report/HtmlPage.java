package dev.fmnist.report;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page: inline CSS, every picture embedded as a data URI, no scripts and no
 * network access, so it opens the same anywhere.
 */
final class HtmlPage {
  /** Charts wider than this (the page's text width) are shown at full size. */
  static final int FULL_SIZE_WIDTH = 1068;
  private static final String CSS =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
        margin:24px auto;max-width:1100px;padding:0 16px;color:#222;line-height:1.45}
      h1{font-size:1.6em;margin-bottom:0.2em} h2{font-size:1.25em;margin-top:1.8em;
        border-bottom:1px solid #ddd;padding-bottom:4px}
      table{border-collapse:collapse;margin:8px 0 16px} td,th{padding:4px 10px;border-bottom:1px solid #eee}
      th{text-align:left;background:#f6f6f6} td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
      pre{background:#f8f8f8;border:1px solid #e4e4e4;padding:10px;overflow-x:auto;font-size:0.85em}
      figure{margin:16px 0;overflow-x:auto} figure img{max-width:100%;height:auto;border:1px solid #eee}
      figure img.full{max-width:none}
      figcaption{font-size:0.9em;color:#555} .muted{color:#666;font-size:0.9em}
      .good{color:#1a7f37} .bad{color:#b2182b}
      """;

  private final StringBuilder body = new StringBuilder();
  private final String title;

  HtmlPage(String title) {
    this.title = title;
  }

  HtmlPage h1(String text) {
    body.append("<h1>").append(esc(text)).append("</h1>\n");
    return this;
  }

  HtmlPage h2(String text) {
    body.append("<h2>").append(esc(text)).append("</h2>\n");
    return this;
  }

  HtmlPage p(String text, String cssClass) {
    body.append("<p").append(cssClass == null ? "" : " class=\"" + cssClass + "\"").append('>')
        .append(esc(text)).append("</p>\n");
    return this;
  }

  HtmlPage pre(String text) {
    body.append("<pre>").append(esc(text)).append("</pre>\n");
    return this;
  }

  /**
   * A table; cells that parse as numbers are right-aligned.
   *
   * @param header column headings
   * @param rows cell texts
   */
  HtmlPage table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    for (String h : header) {
      body.append("<th>").append(esc(h)).append("</th>");
    }
    body.append("</tr>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (String cell : row) {
        boolean num = cell.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?(e[-+]?[0-9]+)?%?( \\(.*\\))?");
        body.append(num ? "<td class=\"num\">" : "<td>").append(esc(cell)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** Embeds a rendered chart: its SVG when it has one, else its PNG. */
  HtmlPage figure(ChartFiles.Rendered chart) {
    String uri =
        chart.svg() != null
            ? "data:image/svg+xml;base64,"
                + Base64.getEncoder().encodeToString(chart.svg().getBytes(StandardCharsets.UTF_8))
            : "data:image/png;base64," + Base64.getEncoder().encodeToString(chart.png());
    body.append("<figure><img").append(pngWidth(chart.png()) > FULL_SIZE_WIDTH ? " class=\"full\"" : "")
        .append(" alt=\"").append(esc(chart.title())).append("\" src=\"").append(uri)
        .append("\"><figcaption>").append(esc(chart.title())).append(" (")
        .append(esc(chart.name())).append(".png").append(chart.svg() != null ? ", .svg" : "")
        .append(")</figcaption></figure>\n");
    return this;
  }

  /**
   * The width of a PNG, from its header ({@code IHDR} right after the signature), or 0. Charts
   * wider than the page (many classes) are shown at full size, scrolling sideways, so their cell
   * labels stay readable.
   */
  static int pngWidth(byte[] png) {
    if (png == null || png.length < 24) {
      return 0;
    }
    return (png[16] & 0xff) << 24 | (png[17] & 0xff) << 16 | (png[18] & 0xff) << 8 | (png[19] & 0xff);
  }

  /** The whole document as UTF-8 bytes. */
  byte[] toBytes() {
    String doc = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
        + esc(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n" + body
        + "</body>\n</html>\n";
    return doc.getBytes(StandardCharsets.UTF_8);
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
