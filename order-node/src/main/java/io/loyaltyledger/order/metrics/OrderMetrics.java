package io.loyaltyledger.order.metrics;

import io.loyaltyledger.ledger.writer.WriterDatabase;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order node's figures for {@code GET /metrics}, read from its database on each scrape: the
 * database is the truth, and these counts are cheap (indexed, one node's orders).
 */
public final class OrderMetrics {

  private static final String[] OVERDRAFT_STATES = {"OPEN", "SETTLED", "CHARGED"};

  private OrderMetrics() {}

  public static void register(PrometheusRegistry registry, WriterDatabase db) {
    CounterWithCallback.builder()
        .name("loyalty_orders_accepted")
        .help("Orders this node has taken (each once, whatever the retries)")
        .callback(callback -> callback.call(count(db, "SELECT COUNT(*) FROM customer_order")))
        .register(registry);
    CounterWithCallback.builder()
        .name("loyalty_orders_cancelled")
        .help("Orders of this node cancelled")
        .callback(callback -> callback.call(
            count(db, "SELECT COUNT(*) FROM customer_order WHERE status = 'CANCELLED'")))
        .register(registry);
    GaugeWithCallback.builder()
        .name("loyalty_overdrafts")
        .help("Overdrafts opened by this node's clawbacks, by state")
        .labelNames("state")
        .callback(callback -> overdrafts(db).forEach((state, n) -> callback.call(n, state)))
        .register(registry);
  }

  private static Map<String, Long> overdrafts(WriterDatabase db) {
    Map<String, Long> byState = new TreeMap<>();
    for (String state : OVERDRAFT_STATES) {
      byState.put(state, 0L);
    }
    db.inTransaction(tx -> {
      try (PreparedStatement ps =
              tx.prepareStatement("SELECT state, COUNT(*) FROM overdraft GROUP BY state");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byState.put(rs.getString(1), rs.getLong(2));
        }
      }
      return null;
    });
    return byState;
  }

  private static long count(WriterDatabase db, String sql) {
    return db.inTransaction(tx -> {
      try (PreparedStatement ps = tx.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }
}
