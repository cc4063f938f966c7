package io.loyaltyledger.ledger.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A POST whose body the test holds back: the node has the request — it asked for the body with
 * {@code 100 Continue}, which Akka HTTP sends once the route reads the entity — and cannot finish
 * it before the test sends the body. Plain HTTP/1.1 over a socket.
 */
final class HeldRequest implements AutoCloseable {

  record Answer(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final byte[] body;

  private HeldRequest(Socket socket, byte[] body) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.body = body;
  }

  /** Sends the request line and headers, and returns once the node asked for the body. */
  static HeldRequest post(int port, String path, String idempotencyKey, String token, String json)
      throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(60_000);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    HeldRequest request = new HeldRequest(socket, body);
    String head =
        "POST " + path + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:" + port + "\r\n"
            + "Authorization: Bearer " + token + "\r\n"
            + "Idempotency-Key: " + idempotencyKey + "\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\n"
            + "Expect: 100-continue\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String interim = request.readLine();
    if (!interim.startsWith("HTTP/1.1 100")) {
      socket.close();
      throw new AssertionError("expected 100 Continue, the node answered " + interim);
    }
    request.readHeaders();
    return request;
  }

  /** Sends the body and reads the node's answer. */
  Answer finish() throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(body);
    out.flush();
    String statusLine = readLine();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = readHeaders();
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    return new Answer(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new TreeMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return headers;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the node closed the connection");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
