package io.loyaltyledger.ledger.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed key and a trust store holding its certificate, made with the JDK's keytool as
 * bin/cluster up makes the local cluster's: every node presents the key and trusts the certificate.
 */
public record DevKeystore(Path keyStore, Path trustStore, String password) {

  public static DevKeystore generate(Path dir, String commonName) {
    String password = UUID.randomUUID().toString();
    Path keyStore = dir.resolve("keystore.p12");
    Path trustStore = dir.resolve("truststore.p12");
    Path certificate = dir.resolve("node.crt");
    Map<String, String> env = Map.of("STORE_PASSWORD", password);
    keytool(env, "-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", "CN=" + commonName, "-storetype", "PKCS12",
        "-keystore", keyStore.toString(), "-storepass:env", "STORE_PASSWORD");
    keytool(env, "-exportcert", "-alias", "node", "-keystore", keyStore.toString(),
        "-storepass:env", "STORE_PASSWORD", "-rfc", "-file", certificate.toString());
    keytool(env, "-importcert", "-noprompt", "-alias", "node", "-file", certificate.toString(),
        "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass:env", "STORE_PASSWORD");
    return new DevKeystore(keyStore, trustStore, password);
  }

  /** The settings of a node that runs its cluster traffic over TLS with these stores. */
  public Map<String, Object> nodeSettings() {
    String engine = "akka.remote.artery.ssl.config-ssl-engine.";
    Map<String, Object> settings = new HashMap<>();
    settings.put("akka.remote.artery.transport", "tls-tcp");
    settings.put(engine + "key-store", keyStore.toString());
    settings.put(engine + "trust-store", trustStore.toString());
    settings.put(engine + "key-store-password", password);
    settings.put(engine + "key-password", password);
    settings.put(engine + "trust-store-password", password);
    return settings;
  }

  private static void keytool(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
