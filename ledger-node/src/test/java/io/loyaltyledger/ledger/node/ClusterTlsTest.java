package io.loyaltyledger.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltyledger.ledger.node.ApiClient.Answer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ledger nodes whose cluster traffic runs over Artery's tls-tcp with a keystore made by
 * keytool: they form a cluster and replicate; their Artery port speaks TLS with that key and
 * turns away a peer whose key it does not trust.
 */
class ClusterTlsTest {

  @TempDir static Path dir;
  static DevKeystore keys;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    keys = DevKeystore.generate(Files.createDirectories(dir.resolve("tls")), "loyalty-tls-test");
    cluster = new TestCluster(dir.resolve("nodes"), 2, 64);
    keys.nodeSettings().forEach(cluster.configs()::with);
    cluster.startAll();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void nodesFormAClusterAndReplicateOverTls() {
    for (int i = 0; i < 2; i++) {
      assertThat(cluster.node(i).system().settings().config().getString("akka.remote.artery.transport"))
          .isEqualTo("tls-tcp");
      assertThat(cluster.api(i).get("/v1/cluster").json().get("members")).hasSize(2);
    }
    Answer adjusted = cluster.api(0).adjust("tls-ann", "tls-1", 25, "over TLS");
    assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(201);
    String token = adjusted.json().get("token").asText();
    Answer seen = cluster.api(1).get("/v1/accounts/tls-ann?after=" + token + "&timeout=20000");
    assertThat(seen.status()).as(seen.body()).isEqualTo(200);
    assertThat(seen.json().get("balance").asLong()).isEqualTo(25);
  }

  @Test
  void theClusterPortSpeaksTlsWithTheNodesKey() throws Exception {
    try (SSLSocket socket = connect(keys, keys)) {
      socket.startHandshake();
      X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=loyalty-tls-test");
    }
  }

  @Test
  void aPeerWithAKeyTheNodesDoNotTrustIsTurnedAway() throws Exception {
    DevKeystore stranger = DevKeystore.generate(Files.createDirectories(dir.resolve("stranger")), "stranger");
    try (SSLSocket socket = connect(stranger, keys)) {
      // The node checks the client's certificate and sends an alert instead of any data.
      assertThatThrownBy(() -> {
        socket.startHandshake();
        int read = socket.getInputStream().read();
        if (read < 0) {
          throw new SSLException("closed by the node");
        }
      }).isInstanceOf(SSLException.class);
    }
  }

  @Test
  void aNodeWhoseStoresDoNotOpenRefusesToStart() {
    String engine = "akka.remote.artery.ssl.config-ssl-engine.";
    TestNodes wrongPassword = new TestNodes(dir.resolve("wrong"), 1, 64);
    keys.nodeSettings().forEach(wrongPassword::with);
    wrongPassword.with(engine + "key-store-password", "not-the-password-42");
    assertThatThrownBy(() -> LedgerNode.start(wrongPassword.config(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not open")
        .hasMessageNotContaining("not-the-password-42");

    TestNodes noPassword = new TestNodes(dir.resolve("unset"), 1, 64);
    Map.of("akka.remote.artery.transport", "tls-tcp",
            engine + "key-store", keys.keyStore().toString(),
            engine + "trust-store", keys.trustStore().toString())
        .forEach(noPassword::with);
    assertThatThrownBy(() -> LedgerNode.start(noPassword.config(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not set");
    assertThat(dir.resolve("wrong")).doesNotExist();
  }

  /**
   * A TLS connection to node 1's Artery port, presenting the key of {@code client} and trusting
   * the certificates of {@code trusted}.
   */
  private static SSLSocket connect(DevKeystore client, DevKeystore trusted) throws Exception {
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(load(client.keyStore(), client.password()), client.password().toCharArray());
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(load(trusted.trustStore(), trusted.password()));
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    int port = cluster.node(0).system().settings().config().getInt("akka.remote.artery.canonical.port");
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
    return socket;
  }

  private static KeyStore load(Path file, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }
}
