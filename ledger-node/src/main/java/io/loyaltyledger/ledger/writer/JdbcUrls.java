package io.loyaltyledger.ledger.writer;

import java.util.regex.Pattern;

/** JDBC URLs as they may appear in logs and error messages: with any credential in them masked. */
public final class JdbcUrls {

  /** {@code //user:secret@host} (PostgreSQL accepts credentials before the host). */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?;&]*:)[^@/?;&]*@");

  /**
   * {@code ?password=…}, {@code &sslpassword=…} (PostgreSQL), {@code ;PASSWORD=…} (H2), and any
   * parameter whose name says it holds a secret.
   */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "([?&;][^=?&;]*(?:password|passwd|pwd|secret|token|credential)[^=?&;]*=)[^&;]*",
          Pattern.CASE_INSENSITIVE);

  private JdbcUrls() {}

  public static String redacted(String url) {
    if (url == null) {
      return null;
    }
    String masked = USER_INFO.matcher(url).replaceAll("$1***@");
    return SECRET_PARAMETER.matcher(masked).replaceAll("$1***");
  }
}
