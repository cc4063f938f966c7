package io.loyaltyledger.ledger.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** The bearer tokens of test nodes, as test-node.conf configures them. */
public final class TestTokens {

  private static final Config AUTH =
      ConfigFactory.parseResources("test-node.conf").getConfig("loyalty.http.auth");

  /** The write token every test client sends unless told otherwise. */
  public static final String WRITE = AUTH.getStringList("write-tokens").get(0);

  /** A second write token, accepted beside the first (rotation). */
  public static final String WRITE_ROTATED = AUTH.getStringList("write-tokens").get(1);

  public static final String READ = AUTH.getStringList("read-tokens").get(0);

  private TestTokens() {}
}
