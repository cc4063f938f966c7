package io.loyaltyledger.ledger.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** reference.conf binds transfer messages to their serializer; both round-trip exactly. */
class TransferSerializerTest {

  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create(
        ConfigFactory.parseString("akka.actor.provider = local").withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void requestsAndRepliesRoundTrip() {
    TestProbe<TransferMessage.Reply> probe = kit.createTestProbe();
    WriterKey donor = WriterKey.of("order-1", "3f2a9c1e");
    WriterKey to = WriterKey.of("order-2", "0badc0de");
    Row row = Row.of(100, 20, 7, new TreeMap<>(Map.of(to, 30L)));
    Object[] messages = {
      new TransferMessage.Request("id-1", "zoë", to, 30, probe.getRef()),
      new TransferMessage.Reply("id-1", donor, 30, row, null),
      new TransferMessage.Reply("id-2", donor, 0, null, "busy")
    };
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    for (Object message : messages) {
      Serializer serializer = serialization.findSerializerFor(message);
      assertThat(serializer).isInstanceOf(TransferSerializer.class);
      byte[] bytes = serialization.serialize(message).get();
      String manifest = Serializers.manifestFor(serializer, message);
      assertThat(serialization.deserialize(bytes, serializer.identifier(), manifest).get())
          .isEqualTo(message);
    }
  }
}
