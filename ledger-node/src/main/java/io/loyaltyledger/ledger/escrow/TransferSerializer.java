package io.loyaltyledger.ledger.escrow;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializerWithStringManifest;
import io.loyaltyledger.ledger.crdt.Row;
import io.loyaltyledger.ledger.crdt.WriterKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Akka serializer of {@link TransferMessage}s: a format version byte, then the fields in order.
 * Manifests "Q" (request) and "R" (reply).
 */
public final class TransferSerializer extends SerializerWithStringManifest {

  static final int IDENTIFIER = 472_311;
  private static final byte VERSION = 1;

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public TransferSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  private ActorRefResolver resolver() {
    if (resolver == null) {
      resolver = ActorRefResolver.get(Adapter.toTyped(system));
    }
    return resolver;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof TransferMessage.Request) {
      return "Q";
    }
    if (o instanceof TransferMessage.Reply) {
      return "R";
    }
    throw new IllegalArgumentException("cannot serialize " + o.getClass());
  }

  @Override
  public byte[] toBinary(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      if (o instanceof TransferMessage.Request q) {
        out.writeUTF(q.transferId());
        out.writeUTF(q.accountId());
        out.writeUTF(q.to().value());
        out.writeLong(q.amount());
        out.writeUTF(resolver().toSerializationFormat(q.replyTo()));
      } else if (o instanceof TransferMessage.Reply r) {
        out.writeUTF(r.transferId());
        out.writeUTF(r.donor().value());
        out.writeLong(r.given());
        out.writeBoolean(r.row() != null);
        if (r.row() != null) {
          writeRow(out, r.row());
        }
        out.writeUTF(r.refusal() == null ? "" : r.refusal());
      } else {
        throw new IllegalArgumentException("cannot serialize " + o.getClass());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new NotSerializableException("unknown transfer message version " + version);
      }
      return switch (manifest) {
        case "Q" -> {
          String id = in.readUTF();
          String account = in.readUTF();
          WriterKey to = WriterKey.parse(in.readUTF());
          long amount = in.readLong();
          ActorRef<TransferMessage.Reply> replyTo = resolver().resolveActorRef(in.readUTF());
          yield new TransferMessage.Request(id, account, to, amount, replyTo);
        }
        case "R" -> {
          String id = in.readUTF();
          WriterKey donor = WriterKey.parse(in.readUTF());
          long given = in.readLong();
          Row row = in.readBoolean() ? readRow(in) : null;
          String refusal = in.readUTF();
          yield new TransferMessage.Reply(id, donor, given, row, refusal.isEmpty() ? null : refusal);
        }
        default -> throw new NotSerializableException("unknown manifest [" + manifest + "]");
      };
    } catch (IOException | IllegalArgumentException e) {
      NotSerializableException failure = new NotSerializableException("bad transfer message: " + e);
      failure.initCause(e);
      throw failure;
    }
  }

  private static void writeRow(DataOutputStream out, Row row) throws IOException {
    out.writeLong(row.credited());
    out.writeLong(row.debited());
    out.writeLong(row.version());
    Map<WriterKey, Long> sent = row.sent();
    out.writeInt(sent.size());
    for (Map.Entry<WriterKey, Long> e : sent.entrySet()) {
      out.writeUTF(e.getKey().value());
      out.writeLong(e.getValue());
    }
  }

  private static Row readRow(DataInputStream in) throws IOException {
    long credited = in.readLong();
    long debited = in.readLong();
    long version = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException("bad sent map size " + n);
    }
    TreeMap<WriterKey, Long> sent = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      sent.put(WriterKey.parse(in.readUTF()), in.readLong());
    }
    return Row.of(credited, debited, version, sent);
  }
}
