package io.wharf.intake;

import static java.util.Objects.requireNonNull;

import io.wharf.core.registry.ServiceKey;
import io.wharf.store.IntakeResultRecord;
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

    /**
     * A request's stored result, told to the intake instance that holds its client (in {@code
     * reply.SERVICE.INTAKE}) when that instance runs in another process than the dispatcher.
     */
    record Reply(IntakeResultRecord result) implements IntakeRecord {}

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
                case Reply y -> {
                    out.writeByte(4);
                    IntakeResultRecord a = y.result();
                    out.writeUTF(a.id());
                    out.writeUTF(a.service().namespace());
                    out.writeUTF(a.service().service());
                    out.writeInt(a.status());
                    out.writeUTF(a.contentType());
                    out.writeInt(a.body().length);
                    out.write(a.body());
                    out.writeBoolean(a.late());
                    out.writeBoolean(a.clamped());
                    for (long t : new long[] {
                        a.sentMicros(),
                        a.arrivedMicros(),
                        a.orderedMicros(),
                        a.dispatchedMicros(),
                        a.startedMicros(),
                        a.endedMicros()
                    }) out.writeLong(t);
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
                case 4 -> new Reply(readResult(in));
                default -> throw new IllegalArgumentException("not an intake record");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("not an intake record: " + e.getMessage(), e);
        }
    }

    private static IntakeResultRecord readResult(DataInputStream in) throws IOException {
        String id = in.readUTF();
        ServiceKey service = new ServiceKey(in.readUTF(), in.readUTF());
        int status = in.readInt();
        String contentType = in.readUTF();
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        boolean late = in.readBoolean();
        boolean clamped = in.readBoolean();
        long[] t = new long[6];
        for (int i = 0; i < t.length; i++) t[i] = in.readLong();
        return new IntakeResultRecord(
                id, service, status, contentType, body, late, clamped, t[0], t[1], t[2], t[3], t[4], t[5]);
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
