package io.loyaltyledger.client;

import java.net.URI;

/** The HTTP base address of one node, e.g. {@code http://127.0.0.1:8081}. */
public record NodeEndpoint(URI base) {

  public static NodeEndpoint of(String url) {
    String trimmed = url.strip();
    if (!trimmed.contains("://")) {
      trimmed = "http://" + trimmed;
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    URI uri = URI.create(trimmed);
    if (uri.getHost() == null || uri.getPort() < 0 && uri.getScheme() == null) {
      throw new IllegalArgumentException("not a node URL: " + url);
    }
    return new NodeEndpoint(uri);
  }

  URI resolve(String pathAndQuery) {
    return URI.create(base + pathAndQuery);
  }

  @Override
  public String toString() {
    return base.toString();
  }
}
