package io.loyaltyledger.ledger.crdt;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.ActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** reference.conf binds Bucket and BucketDelta to the serializer in a real actor system. */
class SerializationRegistrationTest {

  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system =
        ActorSystem.create(
            "serialization-test",
            ConfigFactory.parseString("akka.actor.provider = local").withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void bucketsAndDeltasUseTheLedgerSerializer() {
    WriterKey a = WriterKey.of("order-1", "3f2a9c1e");
    WriterKey b = WriterKey.of("order-2", "0badc0de");
    Bucket bucket =
        Bucket.EMPTY
            .mergeRow("alice", a, Row.of(10, 3, 2, new TreeMap<>(Map.of(b, 4L))))
            .mergeRow("bob", b, Row.of(7, 0, 1));
    BucketDelta delta = bucket.deltaData().orElseThrow();
    Serialization serialization = SerializationExtension.get(system);

    for (Object value : new Object[] {bucket.resetDelta(), delta}) {
      Serializer serializer = serialization.findSerializerFor(value);
      assertThat(serializer).isInstanceOf(BucketSerializer.class);
      assertThat(serializer.identifier()).isEqualTo(BucketSerializer.IDENTIFIER);
      byte[] bytes = serialization.serialize(value).get();
      String manifest = Serializers.manifestFor(serializer, value);
      Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
      assertThat(back).isEqualTo(value);
    }
  }
}
