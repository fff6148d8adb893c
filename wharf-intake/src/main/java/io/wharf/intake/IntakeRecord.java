package io.wharf.intake;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the intake's logs hold: a request an intake instance accepted, or that instance's heartbeat (its
 * clock, when it has nothing to send, so that the watermark moves), and, in the ordered stream, a request
 * with when and how it was ordered. A compact binary form: many thousands go through each second.
 */
public sealed interface IntakeRecord {
    /**
     * A request as its intake instance accepted it.
     *
     * @param id unique: {@code intake-seq}
     * @param intake the intake instance
     * @param seq its number there, from 0
     * @param sentMicros its send time, clamped ({@link io.wharf.core.intake.SendStamp})
     * @param arrivedMicros when the intake received it
     * @param clamped whether its client's stamp was moved into bounds
     * @param orderKey what it is ordered with (same key: one after another), or empty
     * @param method the HTTP method
     * @param path the path and query
     * @param headers the headers passed on
     * @param body its body
     */
    record Request(
            String id,
            String intake,
            long seq,
            long sentMicros,
            long arrivedMicros,
            boolean clamped,
            String orderKey,
            String method,
            String path,
            Map<String, String> headers,
            byte[] body)
            implements IntakeRecord {
        public Request {
            requireNonNull(id, "id");
            requireNonNull(intake, "intake");
            requireNonNull(orderKey, "orderKey");
            headers = Map.copyOf(headers);
        }
    }

    /** An intake instance's clock, sent when it has nothing else to send. */
    record Heartbeat(String intake, long clockMicros) implements IntakeRecord {}

    /** A request in the ordered stream: when the sequencer released it, and whether it came late. */
    record Ordered(Request request, long orderedMicros, boolean late) implements IntakeRecord {}

    /** Its binary form. */
    static byte[] encode(IntakeRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (r) {
                case Request q -> {
                    out.writeByte(1);
                    write(out, q);
                }
                case Heartbeat h -> {
                    out.writeByte(2);
                    out.writeUTF(h.intake());
                    out.writeLong(h.clockMicros());
                }
                case Ordered o -> {
                    out.writeByte(3);
                    write(out, o.request());
                    out.writeLong(o.orderedMicros());
                    out.writeBoolean(o.late());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Request q) throws IOException {
        out.writeUTF(q.id());
        out.writeUTF(q.intake());
        out.writeLong(q.seq());
        out.writeLong(q.sentMicros());
        out.writeLong(q.arrivedMicros());
        out.writeBoolean(q.clamped());
        out.writeUTF(q.orderKey());
        out.writeUTF(q.method());
        out.writeUTF(q.path());
        out.writeInt(q.headers().size());
        for (var h : q.headers().entrySet()) {
            out.writeUTF(h.getKey());
            out.writeUTF(h.getValue());
        }
        out.writeInt(q.body().length);
        out.write(q.body());
    }

    /**
     * The record {@code bytes} hold.
     *
     * @throws IllegalArgumentException if they are not one
     */
    static IntakeRecord decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return switch (in.readByte()) {
                case 1 -> read(in);
                case 2 -> new Heartbeat(in.readUTF(), in.readLong());
                case 3 -> new Ordered(read(in), in.readLong(), in.readBoolean());
                default -> throw new IllegalArgumentException("not an intake record");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("not an intake record: " + e.getMessage(), e);
        }
    }

    private static Request read(DataInputStream in) throws IOException {
        String id = in.readUTF();
        String intake = in.readUTF();
        long seq = in.readLong();
        long sent = in.readLong();
        long arrived = in.readLong();
        boolean clamped = in.readBoolean();
        String key = in.readUTF();
        String method = in.readUTF();
        String path = in.readUTF();
        int n = in.readInt();
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) headers.put(in.readUTF(), in.readUTF());
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return new Request(id, intake, seq, sent, arrived, clamped, key, method, path, headers, body);
    }
}
