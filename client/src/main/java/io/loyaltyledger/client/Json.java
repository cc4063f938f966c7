package io.loyaltyledger.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Reads the nodes' JSON; fields the client does not know are ignored (newer nodes). */
final class Json {

  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  static <T> T read(HttpTransport.Reply reply, Class<T> type, NodeEndpoint node) {
    try {
      return MAPPER.readValue(reply.body(), type);
    } catch (IOException e) {
      throw new LoyaltyException(
          "bad_answer", reply.status(), "unreadable answer from " + node + ": " + reply.body(), node);
    }
  }

  /** The node's error body as a typed exception. */
  static LoyaltyException error(HttpTransport.Reply reply, NodeEndpoint node) {
    String code = "http_" + reply.status();
    String message = reply.body();
    try {
      JsonNode body = MAPPER.readTree(reply.body());
      if (body != null && body.hasNonNull("error")) {
        code = body.get("error").asText();
        message = body.path("message").asText(code);
      }
    } catch (IOException e) {
      // not JSON (a proxy's page, say): keep the status as the code
    }
    return new LoyaltyException(code, reply.status(), message, node);
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
