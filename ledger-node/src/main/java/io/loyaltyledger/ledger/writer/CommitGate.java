package io.loyaltyledger.ledger.writer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every commit of a writer database passes through here, so that a reader can wait for the
 * commits in progress. H2 shows a committed transaction to other connections a moment before it
 * writes it to its file: a row read in that moment would not survive a crash of this process,
 * and must not leave it (into the replica, to another writer) before it would.
 */
final class CommitGate {

  /** Held shared by each commit while it runs, taken whole by {@link #awaitInProgress}. */
  private final ReadWriteLock commits = new ReentrantReadWriteLock();

  /** A commit: of a JDBC connection, or anything else in tests. */
  interface Commit {
    void run() throws SQLException;
  }

  void commit(Connection tx) throws SQLException {
    pass(tx::commit);
  }

  void pass(Commit commit) throws SQLException {
    Lock inProgress = commits.readLock();
    inProgress.lock();
    try {
      commit.run();
    } finally {
      inProgress.unlock();
    }
  }

  /** Returns once every commit that was in progress when it was called has returned. */
  void awaitInProgress() {
    Lock all = commits.writeLock();
    all.lock();
    all.unlock();
  }
}
