package io.loyaltyledger.ledger.node;

import com.typesafe.config.Config;
import io.loyaltyledger.ledger.escrow.TransferSettings;
import io.loyaltyledger.ledger.http.ReadSettings;
import io.loyaltyledger.ledger.http.auth.AuthSettings;
import io.loyaltyledger.ledger.publish.PublisherSettings;
import io.loyaltyledger.ledger.publish.ReconcilerSettings;
import io.loyaltyledger.ledger.writer.WriterSettings;

/** Everything a node reads from the {@code loyalty} section of its configuration. */
public record NodeSettings(
    String name,
    String role,
    int buckets,
    String httpHost,
    int httpPort,
    AuthSettings auth,
    WriterSettings writer,
    PublisherSettings publisher,
    ReconcilerSettings reconciler,
    ReadSettings reads,
    TransferSettings transfers,
    RejoinSettings rejoin) {

  public static NodeSettings fromConfig(Config config) {
    Config loyalty = config.getConfig("loyalty");
    return new NodeSettings(
        loyalty.getString("node.name"),
        loyalty.getString("node.role"),
        loyalty.getInt("ledger.buckets"),
        loyalty.getString("http.host"),
        loyalty.getInt("http.port"),
        AuthSettings.fromConfig(loyalty.getConfig("http.auth")),
        WriterSettings.fromConfig(loyalty.getConfig("writer")),
        PublisherSettings.fromConfig(loyalty.getConfig("publisher")),
        ReconcilerSettings.fromConfig(loyalty.getConfig("reconciler")),
        ReadSettings.fromConfig(loyalty.getConfig("reads")),
        TransferSettings.fromConfig(loyalty.getConfig("transfers")),
        RejoinSettings.fromConfig(loyalty.getConfig("cluster.rejoin")));
  }
}
