package io.loyaltyledger.ledger.publish;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The one daemon thread each background job of a node runs on, named for thread dumps. */
public final class BackgroundThread {

  private BackgroundThread() {}

  public static ScheduledExecutorService named(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
