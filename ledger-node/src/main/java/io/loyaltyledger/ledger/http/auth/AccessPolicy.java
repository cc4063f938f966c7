package io.loyaltyledger.ledger.http.auth;

import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.Set;

/**
 * Which access a request needs, decided from its method and path alone, before anything of it is
 * parsed: health checks need none; reads (GET, HEAD, OPTIONS) need a read token unless reads are
 * open; every other method may change something and needs a write token — whatever the route, so
 * a route added later cannot forget it.
 */
public final class AccessPolicy {

  private static final Set<HttpMethod> READ_METHODS =
      Set.of(HttpMethods.GET, HttpMethods.HEAD, HttpMethods.OPTIONS);

  private final Set<String> openPaths;
  private final Set<String> protectedPaths;
  private final boolean readsOpen;

  /**
   * @param openPaths paths anyone may read, e.g. {@code /ready} and {@code /alive}
   * @param protectedPaths paths only a token may read, even when reads are open
   * @param readsOpen whether anyone may read the other paths
   */
  public AccessPolicy(Set<String> openPaths, Set<String> protectedPaths, boolean readsOpen) {
    this.openPaths = Set.copyOf(openPaths);
    this.protectedPaths = Set.copyOf(protectedPaths);
    this.readsOpen = readsOpen;
  }

  /**
   * The policy of a node: akka-management's readiness and liveness checks are always open (load
   * balancers and orchestrators call them without a token), {@code /metrics} when configured so.
   */
  public static AccessPolicy forNode(Config config, AuthSettings auth) {
    String base = config.getString("akka.management.http.base-path");
    String prefix = base.isEmpty() ? "/" : "/" + base + "/";
    Set<String> open = new HashSet<>();
    open.add(prefix + config.getString("akka.management.health-checks.readiness-path"));
    open.add(prefix + config.getString("akka.management.health-checks.liveness-path"));
    Set<String> metrics = Set.of("/metrics");
    return auth.metricsOpen()
        ? new AccessPolicy(union(open, metrics), Set.of(), auth.readsOpen())
        : new AccessPolicy(open, metrics, auth.readsOpen());
  }

  public Access required(HttpMethod method, String path) {
    if (!READ_METHODS.contains(method)) {
      return Access.WRITE;
    }
    if (openPaths.contains(path)) {
      return Access.NONE;
    }
    if (protectedPaths.contains(path)) {
      return Access.READ;
    }
    return readsOpen ? Access.NONE : Access.READ;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
