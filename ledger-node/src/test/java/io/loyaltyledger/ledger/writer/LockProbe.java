package io.loyaltyledger.ledger.writer;

/** Run in a child JVM: tries to open a writer database and reports through its exit code. */
public final class LockProbe {

  static final int OPENED = 0;
  static final int LOCKED = 3;
  static final int FAILED = 1;

  private LockProbe() {}

  public static void main(String[] args) {
    WriterSettings settings = new WriterSettings(args[0], args[1], "sa", "", 2,
        WriterSettings.DEFAULT_LOCK_TIMEOUT, WriterSettings.DEFAULT_CONNECTION_TIMEOUT);
    try (WriterDatabase db = WriterDatabase.open(settings, Integer.parseInt(args[2]))) {
      System.out.println("OPENED " + db.writerKey());
      System.exit(OPENED);
    } catch (WriterLockedException e) {
      System.out.println("LOCKED " + e.getMessage());
      System.exit(LOCKED);
    } catch (RuntimeException e) {
      e.printStackTrace(System.out);
      System.exit(FAILED);
    }
  }
}
