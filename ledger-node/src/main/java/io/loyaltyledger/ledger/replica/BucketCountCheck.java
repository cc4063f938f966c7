package io.loyaltyledger.ledger.replica;

import akka.cluster.ConfigValidation;
import akka.cluster.JoinConfigCompatChecker;
import com.typesafe.config.Config;
import java.util.List;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Refuses a node whose bucket count differs from the cluster's: the same account would live in
 * different buckets on different nodes, and balances would silently diverge.
 */
public final class BucketCountCheck extends JoinConfigCompatChecker {

  static final String BUCKETS = "loyalty.ledger.buckets";

  @Override
  public Seq<String> requiredKeys() {
    return CollectionConverters.asScala(List.of(BUCKETS)).toList();
  }

  @Override
  public ConfigValidation check(Config toCheck, Config actualConfig) {
    return JoinConfigCompatChecker.fullMatch(requiredKeys(), toCheck, actualConfig);
  }
}
