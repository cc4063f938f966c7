package io.loyaltyledger.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The baselines {@code bench/compare.sh} measures the nodes against, in one small HTTP server
 * built like a node's front system (same Akka HTTP version, same configuration files, same
 * {@code newServerAt(host, port).bind(route)}, blocking JDBC on the same {@code
 * loyalty.jdbc-dispatcher}), so that one driver, {@code loyalty bench}, drives both sides alike:
 *
 * <ul>
 *   <li><b>The monolith's order intake</b>, {@code POST /v1/orders}: what a shop with one
 *       PostgreSQL database does — one transaction inserts the order (its {@code Idempotency-Key}
 *       in a unique column, so a retry replays the first answer) and adds the order's points to
 *       the account's points column. The commit is durable before the answer (the server's
 *       {@code fsync} and {@code synchronous_commit}, which compare.sh checks). Points: one per
 *       whole unit of the amount, as an order node's default earn rule.
 *   <li><b>The read ceiling</b>, {@code GET /v1/accounts/{id}}: a constant JSON answer of a
 *       balance's shape. Nothing is looked up and no token is checked: the practical ceiling of
 *       a read over this HTTP server.
 *   <li>{@code GET /v1/node} says it is an order node (so the client sends it orders) and
 *       {@code GET /ready} answers once it is bound.
 * </ul>
 *
 * Configuration: {@code -Dconfig.file=config/bench/baseline.conf} (bench/README.md).
 */
public final class BaselineServer extends AllDirectives {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UNIQUE_VIOLATION = "23505";

  /** A balance's shape (as a node answers it for an account with one writer), always the same. */
  static final String CONSTANT_BALANCE =
      "{\"accountId\":\"constant\",\"balance\":42,\"earned\":42,\"spent\":0,"
          + "\"consistency\":\"local\",\"node\":\"baseline\",\"available\":42,"
          + "\"writers\":{\"baseline@00000000\":{\"credited\":42,\"debited\":0,\"version\":1,\"rights\":42}}}";

  private final HikariDataSource pool;
  private final Executor jdbc;
  private final byte[] nodeInfo;
  private final byte[] constantBalance = CONSTANT_BALANCE.getBytes(StandardCharsets.UTF_8);

  private BaselineServer(HikariDataSource pool, Executor jdbc) {
    this.pool = pool;
    this.jdbc = jdbc;
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("name", "baseline");
    node.put("role", "order");
    node.put("writerKey", null);
    node.put("idempotencyScope", "baseline-" + UUID.randomUUID());
    node.put("ready", true);
    this.nodeInfo = write(node).getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    Config config = ConfigFactory.load();
    Config baseline = config.getConfig("baseline");
    // Built like a node's front system: its overrides over the node's whole configuration.
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(), "baseline", config.getConfig("loyalty.front-system").withFallback(config));
    HikariDataSource pool = pool(baseline);
    createSchema(pool);
    Executor jdbc = system.dispatchers().lookup(DispatcherSelector.fromConfig("loyalty.jdbc-dispatcher"));
    BaselineServer server = new BaselineServer(pool, jdbc);
    ServerBinding binding =
        Http.get(system)
            .newServerAt(baseline.getString("http.host"), baseline.getInt("http.port"))
            .bind(server.routes())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    System.out.println("baseline serves HTTP on " + binding.localAddress() + " (PostgreSQL pool of "
        + pool.getMaximumPoolSize() + ")");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      binding.unbind();
      system.terminate();
      pool.close();
    }, "baseline-stop"));
  }

  private static HikariDataSource pool(Config c) {
    HikariConfig h = new HikariConfig();
    h.setPoolName("baseline");
    h.setJdbcUrl(c.getString("jdbc-url"));
    h.setUsername(c.getString("user"));
    h.setPassword(c.getString("password"));
    h.setMaximumPoolSize(c.getInt("pool-size"));
    // as the nodes' writer pool
    h.setAutoCommit(false);
    h.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    return new HikariDataSource(h);
  }

  private static void createSchema(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS shop_order ("
          + " order_id VARCHAR(128) NOT NULL PRIMARY KEY,"
          + " account_id VARCHAR(128) NOT NULL,"
          + " amount DECIMAL(12,2) NOT NULL CHECK (amount > 0),"
          + " currency VARCHAR(3) NOT NULL,"
          + " points_earned BIGINT NOT NULL,"
          + " idempotency_key VARCHAR(255) NOT NULL UNIQUE,"
          + " placed_at TIMESTAMP WITH TIME ZONE NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS shop_order_account ON shop_order (account_id)");
      s.execute("CREATE TABLE IF NOT EXISTS customer_points ("
          + " account_id VARCHAR(128) NOT NULL PRIMARY KEY,"
          + " points BIGINT NOT NULL)");
      c.commit();
    }
  }

  Route routes() {
    return concat(
        path("ready", () -> get(() -> complete("OK"))),
        pathPrefix("v1", () -> concat(
            path("node", () -> get(() -> json(StatusCodes.OK, nodeInfo))),
            pathPrefix("accounts", () -> path(id -> get(() -> json(StatusCodes.OK, constantBalance)))),
            path("orders", () -> post(() -> headerValueByName("Idempotency-Key",
                key -> entity(Unmarshaller.entityToString(), body -> completeWithFuture(
                    CompletableFuture.supplyAsync(() -> placeOrder(key, body), jdbc)))))))));
  }

  private Route json(StatusCode status, byte[] body) {
    return complete(HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body)));
  }

  /** One transaction: the order (with its idempotency key) and the account's points. */
  private HttpResponse placeOrder(String key, String body) {
    String orderId;
    String accountId;
    BigDecimal amount;
    String currency;
    try {
      JsonNode json = JSON.readTree(body);
      orderId = json.path("orderId").asText();
      accountId = json.path("accountId").asText();
      amount = new BigDecimal(json.path("amount").asText()).setScale(2, RoundingMode.UNNECESSARY);
      currency = json.path("currency").asText();
      if (orderId.isEmpty() || accountId.isEmpty() || amount.signum() <= 0 || currency.length() != 3
          || json.path("redeemPoints").asLong(0) != 0) {
        return error(400, "invalid_order", "orderId, accountId, amount > 0, currency; no redemptions");
      }
    } catch (Exception e) {
      return error(400, "malformed_json", "not an order");
    }
    long points = amount.setScale(0, RoundingMode.FLOOR).longValueExact();
    try (Connection c = pool.getConnection()) {
      try {
        try (PreparedStatement order = c.prepareStatement(
                "INSERT INTO shop_order (order_id, account_id, amount, currency, points_earned,"
                    + " idempotency_key, placed_at) VALUES (?, ?, ?, ?, ?, ?, now())");
            PreparedStatement credit = c.prepareStatement(
                "INSERT INTO customer_points (account_id, points) VALUES (?, ?)"
                    + " ON CONFLICT (account_id) DO UPDATE SET points = customer_points.points + EXCLUDED.points")) {
          order.setString(1, orderId);
          order.setString(2, accountId);
          order.setBigDecimal(3, amount);
          order.setString(4, currency);
          order.setLong(5, points);
          order.setString(6, key);
          order.executeUpdate();
          credit.setString(1, accountId);
          credit.setLong(2, points);
          credit.executeUpdate();
        }
        c.commit();
        return placed(201, orderId, accountId, amount, currency, points);
      } catch (SQLException e) {
        c.rollback();
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          return replay(c, key, orderId);
        }
        throw e;
      }
    } catch (SQLException e) {
      return error(503, "database_error", e.getMessage());
    }
  }

  /** The key (or the order id) was taken: the first answer for the key, else a conflict. */
  private HttpResponse replay(Connection c, String key, String orderId) throws SQLException {
    try (PreparedStatement find = c.prepareStatement(
        "SELECT order_id, account_id, amount, currency, points_earned FROM shop_order WHERE idempotency_key = ?")) {
      find.setString(1, key);
      try (ResultSet rs = find.executeQuery()) {
        c.commit();
        if (rs.next() && rs.getString(1).equals(orderId)) {
          return placed(201, rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getString(4), rs.getLong(5));
        }
      }
    }
    return error(409, "order_exists", "order " + orderId + " exists under another key");
  }

  private static HttpResponse placed(int status, String orderId, String accountId, BigDecimal amount,
      String currency, long points) {
    Map<String, Object> receipt = new LinkedHashMap<>();
    receipt.put("orderId", orderId);
    receipt.put("accountId", accountId);
    receipt.put("amount", amount.toPlainString());
    receipt.put("currency", currency);
    receipt.put("status", "PLACED");
    receipt.put("pointsEarned", points);
    receipt.put("pointsRedeemed", 0);
    receipt.put("token", null); // nothing replicates: no read-your-writes token
    return response(status, write(receipt));
  }

  private static HttpResponse error(int status, String code, String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("error", code);
    e.put("message", message);
    return response(status, write(e));
  }

  private static HttpResponse response(int status, String json) {
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, json);
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
