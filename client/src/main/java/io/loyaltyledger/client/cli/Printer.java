package io.loyaltyledger.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Writes tables for people and JSON for scripts. */
final class Printer {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Printer() {}

  static void json(PrintWriter out, Object value) {
    try {
      out.println(MAPPER.writeValueAsString(value));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  static void jsonLine(PrintWriter out, Object value) {
    try {
      out.println(new ObjectMapper().writeValueAsString(value));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  /** Rows of cells, the first one the header; columns padded to their widest cell. */
  static void table(PrintWriter out, List<List<String>> rows) {
    List<Integer> widths = new ArrayList<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        int w = String.valueOf(row.get(i)).length();
        if (widths.size() <= i) {
          widths.add(w);
        } else if (widths.get(i) < w) {
          widths.set(i, w);
        }
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = String.valueOf(row.get(i));
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths.get(i) - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  /** Shell-quotes an argument for a command the user can paste. */
  static String quote(String arg) {
    if (arg.matches("[A-Za-z0-9._:@,/=+-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
