package io.loyaltyledger.ledger.writer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock of an embedded H2 database. H2's own file lock already refuses a second process, but a
 * second open inside the same JVM silently shares the database; so this lock also registers the
 * database in a static set, and holds an OS lock on {@code <database>.writer.lock} next to it.
 */
final class H2FileLock implements ProcessLock {

  /** Databases open in this JVM, by absolute path (or "mem:" name). */
  private static final Set<String> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final String registryKey;
  private final FileChannel channel;
  private final FileLock fileLock;
  private boolean closed;

  private H2FileLock(String registryKey, FileChannel channel, FileLock fileLock) {
    this.registryKey = registryKey;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  static H2FileLock acquire(String jdbcUrl) {
    String location = location(jdbcUrl);
    if (location.startsWith("mem:")) {
      register(location);
      return new H2FileLock(location, null, null);
    }
    Path database = databasePath(location);
    String key = database.toString();
    register(key);
    try {
      return lockFile(key, Path.of(key + ".writer.lock"));
    } catch (RuntimeException e) {
      OPEN_IN_THIS_JVM.remove(key);
      throw e;
    }
  }

  private static void register(String key) {
    if (!OPEN_IN_THIS_JVM.add(key)) {
      throw new WriterLockedException("writer database " + key + " is already open in this JVM");
    }
  }

  private static H2FileLock lockFile(String key, Path lockFile) {
    FileChannel channel = null;
    try {
      Files.createDirectories(lockFile.toAbsolutePath().getParent());
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new WriterLockedException(
            "writer database " + key + " is in use by another process (" + lockFile + " is locked)");
      }
      return new H2FileLock(key, channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new WriterLockedException("writer database " + key + " is already open in this JVM", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new WriterDatabaseException("cannot lock " + lockFile, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** The part of an H2 URL that names the database, without settings. */
  private static String location(String jdbcUrl) {
    String rest = jdbcUrl.substring("jdbc:h2:".length());
    String upper = jdbcUrl.toUpperCase(Locale.ROOT);
    if (upper.contains(";AUTO_SERVER=TRUE") || upper.contains(";FILE_LOCK=NO")) {
      throw new IllegalArgumentException(
          "AUTO_SERVER and FILE_LOCK=NO let other processes write the database: "
              + JdbcUrls.redacted(jdbcUrl));
    }
    String location = rest.split(";", 2)[0];
    if (location.equals("mem:") || location.startsWith("tcp:") || location.startsWith("ssl:")
        || location.startsWith("zip:")) {
      throw new IllegalArgumentException(
          "a writer's H2 database must be an embedded file (or a named mem: database): "
              + JdbcUrls.redacted(jdbcUrl));
    }
    return location;
  }

  private static Path databasePath(String location) {
    String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
    if (path.startsWith("~")) {
      path = System.getProperty("user.home") + path.substring(1);
    }
    return Path.of(path).toAbsolutePath().normalize();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (fileLock != null) {
        fileLock.release();
      }
    } catch (IOException ignored) {
      // closing the channel releases it as well
    } finally {
      closeQuietly(channel);
      OPEN_IN_THIS_JVM.remove(registryKey);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }
}
