package io.loyaltyledger.ledger.http.auth;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.loyaltyledger.ledger.http.ApiError;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gate in front of every route: a request that needs more access than its bearer token grants
 * is answered {@code 401 unauthorized} (no token, or an unknown one) or {@code 403 forbidden} (a
 * read-only token on a write) before any of it is parsed, so it can have changed nothing.
 */
public final class AccessControl extends AllDirectives {

  private static final String REALM = "loyalty-ledger";

  private final AccessPolicy policy;
  private final AccessTokens tokens;

  public AccessControl(AccessPolicy policy, AccessTokens tokens) {
    this.policy = policy;
    this.tokens = tokens;
  }

  public Route authorize(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          Access required = policy.required(request.method(), request.getUri().path());
          if (required == Access.NONE) {
            return inner.get();
          }
          Optional<String> token = bearerToken(request);
          Access granted = token.map(tokens::accessOf).orElse(Access.NONE);
          if (granted.covers(required)) {
            return inner.get();
          }
          return complete(granted == Access.NONE ? unauthorized(token.isPresent()) : forbidden());
        });
  }

  /** The token of an {@code Authorization: Bearer <token>} header (scheme in any case). */
  static Optional<String> bearerToken(HttpRequest request) {
    return request
        .getHeader("Authorization")
        .map(HttpHeader::value)
        .map(String::trim)
        .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(value -> value.substring(7).trim())
        .filter(token -> !token.isEmpty());
  }

  private static HttpResponse unauthorized(boolean tokenGiven) {
    String message =
        tokenGiven
            ? "the bearer token is not valid on this node"
            : "this request needs a token: Authorization: Bearer <token>";
    // RFC 6750: a rejected token is named in the challenge, a missing one is not
    HttpChallenge challenge =
        tokenGiven
            ? HttpChallenge.create("Bearer", REALM, Map.of("error", "invalid_token"))
            : HttpChallenge.create("Bearer", REALM);
    return new ApiError(StatusCodes.UNAUTHORIZED, "unauthorized", message)
        .toResponse()
        .addHeader(WWWAuthenticate.create(challenge));
  }

  private static HttpResponse forbidden() {
    return new ApiError(
            StatusCodes.FORBIDDEN,
            "forbidden",
            "this token may only read; changes need a write token")
        .toResponse();
  }
}
