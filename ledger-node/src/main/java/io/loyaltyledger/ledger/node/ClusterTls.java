package io.loyaltyledger.ledger.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the stores of Artery's {@code tls-tcp} transport before the node starts. Akka opens them
 * only at the first connection, so a wrong path or password would show as a node that never
 * joins; here it stops the start with one clear line — which never contains a password.
 */
final class ClusterTls {

  private static final Logger log = LoggerFactory.getLogger(ClusterTls.class);
  private static final String ENGINE = "akka.remote.artery.ssl.config-ssl-engine";
  private static final String CONFIG_ENGINE_PROVIDER = "akka.remote.artery.tcp.ConfigSSLEngineProvider";
  /** The password Akka's reference.conf ships: never a real one. */
  private static final String PLACEHOLDER = "changeme";

  private ClusterTls() {}

  /** @throws IllegalArgumentException when tls-tcp is on and a store does not open */
  static void verify(Config config) {
    String transport = config.getString("akka.remote.artery.transport");
    if (!transport.equals("tls-tcp")) {
      log.info("Cluster traffic is not encrypted (akka.remote.artery.transport = {})", transport);
      return;
    }
    if (!config.getString("akka.remote.artery.ssl.ssl-engine-provider").equals(CONFIG_ENGINE_PROVIDER)) {
      return; // another provider checks its own keys
    }
    Config engine = config.getConfig(ENGINE);
    KeyStore keys = open(engine, "key-store", "key-store-password");
    KeyStore trusted = open(engine, "trust-store", "trust-store-password");
    password(engine, "key-password");
    try {
      if (Collections.list(keys.aliases()).stream().noneMatch(a -> isKey(keys, a))) {
        throw new IllegalArgumentException(ENGINE + ".key-store holds no private key");
      }
      if (Collections.list(trusted.aliases()).stream().noneMatch(a -> isCertificate(trusted, a))) {
        throw new IllegalArgumentException(ENGINE + ".trust-store holds no certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the cluster TLS stores: " + e.getMessage());
    }
    log.info(
        "Cluster traffic runs over TLS ({}, mutual authentication {}): key store {}, trust store {}",
        engine.getString("protocol"),
        engine.getBoolean("require-mutual-authentication") ? "on" : "off",
        engine.getString("key-store"),
        engine.getString("trust-store"));
  }

  private static KeyStore open(Config engine, String storeKey, String passwordKey) {
    Path file = Path.of(engine.getString(storeKey));
    char[] password = password(engine, passwordKey).toCharArray();
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(
          ENGINE + "." + storeKey + " " + file + " cannot be read (LOYALTY_TLS_"
              + storeKey.toUpperCase(Locale.ROOT).replace('-', '_') + ")");
    }
    // Akka opens it the same way: KeyStore.getDefaultType() reads PKCS12 and JKS
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, password);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      // a wrong password shows as an IOException: its message names no password
      throw new IllegalArgumentException(
          ENGINE + "." + storeKey + " " + file + " does not open with " + ENGINE + "." + passwordKey
              + ": " + e.getMessage());
    }
  }

  private static String password(Config engine, String key) {
    String password = engine.getString(key);
    if (password.isEmpty() || password.equals(PLACEHOLDER)) {
      throw new IllegalArgumentException(
          ENGINE + "." + key + " is not set (LOYALTY_TLS_KEY_STORE_PASSWORD,"
              + " LOYALTY_TLS_TRUST_STORE_PASSWORD)");
    }
    return password;
  }

  private static boolean isKey(KeyStore store, String alias) {
    try {
      return store.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean isCertificate(KeyStore store, String alias) {
    try {
      return store.isCertificateEntry(alias);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
