package io.loyaltyledger.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real node. While {@link #dropAnswersToPosts} is on, a POST still
 * reaches the node (which commits it) but its answer never comes back: the client sees a timeout,
 * exactly as if the node had died after its commit. Turned off, the node is "back".
 */
public final class AnswerDroppingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final AtomicBoolean dropping = new AtomicBoolean();
  private final AtomicInteger posts = new AtomicInteger();

  public AnswerDroppingProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    daemon(this::acceptForever);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public void dropAnswersToPosts(boolean on) {
    dropping.set(on);
  }

  /** POST requests that went through to the node. */
  public int postsForwarded() {
    return posts.get();
  }

  private void acceptForever() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket node = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        AtomicBoolean swallow = new AtomicBoolean();
        daemon(() -> pump(client, node, swallow, true));
        daemon(() -> pump(node, client, swallow, false));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicBoolean swallow, boolean requests) {
    byte[] buffer = new byte[16384];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (requests && new String(buffer, 0, Math.min(n, 5), StandardCharsets.US_ASCII).startsWith("POST")) {
          posts.incrementAndGet();
          swallow.set(dropping.get());
        }
        if (requests || !swallow.get()) {
          out.write(buffer, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "answer-dropping-proxy");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
