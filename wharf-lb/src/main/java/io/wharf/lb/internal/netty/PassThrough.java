package io.wharf.lb.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Whether one answer goes to the client as its bytes came from the endpoint, and while it does, how many of
 * them are still to come. The decoder reads every byte either way; it only says where the answer ends.
 *
 * <p>Undecided until the first read from the endpoint has been decoded ({@link #decide}): the bytes pass
 * unchanged when that read holds the answer's whole head, the answer is a final HTTP/1.1 one framed by its
 * {@code Content-Length}, asks nothing about the connection (no {@code Connection} header other than {@code
 * keep-alive}, no {@code Keep-Alive}) and the read holds no second answer; otherwise the decoded answer is
 * encoded again.
 */
final class PassThrough {
    private enum Mode {
        UNDECIDED,
        RAW,
        DECODED
    }

    private Mode mode;
    /** Decoded parts of the answer held while undecided. */
    private @Nullable List<Object> held;
    /** Bytes of the answer still to pass on. */
    private long left;
    /** The decoder has seen the whole answer. */
    private boolean decoderEnded;

    /** One that may pass the answer through, or, if not {@code allowed}, one that never does. */
    PassThrough(boolean allowed) {
        this.mode = allowed ? Mode.UNDECIDED : Mode.DECODED;
    }

    /** Whether the exchange still wants the endpoint's bytes as they come ({@link ResponseTap}). */
    boolean wantsBytes() {
        return mode != Mode.DECODED;
    }

    boolean undecided() {
        return mode == Mode.UNDECIDED;
    }

    boolean raw() {
        return mode == Mode.RAW;
    }

    /**
     * Takes a decoded part of the answer: held while undecided, dropped once the bytes pass through (noting
     * the end of the answer). Returns false, taking nothing, once the answer is to be encoded again.
     */
    boolean take(Object part) {
        switch (mode) {
            case RAW -> {
                if (part instanceof LastHttpContent) decoderEnded = true;
                ReferenceCountUtil.release(part);
                return true;
            }
            case UNDECIDED -> {
                if (held == null) held = new ArrayList<>(3);
                held.add(part); // until decide(), once the decoder is done with this read
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Decides on the first read's {@code bytes}, now decoded, of an answer to a {@code method} request. Returns
     * the answer's head when its bytes pass through; otherwise null, after handing each held part to {@code
     * decoded} in order.
     */
    @Nullable
    HttpResponse decide(ByteBuf bytes, HttpMethod method, Consumer<Object> decoded) {
        long length = length(bytes, method);
        List<Object> parts = held;
        held = null;
        if (length < 0) {
            mode = Mode.DECODED;
            if (parts != null) parts.forEach(decoded);
            return null;
        }
        mode = Mode.RAW;
        left = length;
        HttpResponse head = (HttpResponse) parts.get(0);
        for (Object part : parts) {
            if (part instanceof LastHttpContent) decoderEnded = true;
            ReferenceCountUtil.release(part);
        }
        return head;
    }

    /** Cuts {@code bytes} to what is left of the answer; whether there was more (which never reaches the client). */
    boolean trim(ByteBuf bytes) {
        int n = bytes.readableBytes();
        boolean more = n > left;
        if (more) {
            bytes.writerIndex(bytes.readerIndex() + (int) left);
            n = (int) left;
        }
        left -= n;
        return more;
    }

    /** Whether the answer is over: all its bytes passed, or the decoder saw its end. */
    boolean ended() {
        return decoderEnded || left == 0;
    }

    /** Whether its length and the decoder agree on where it ended; if not, its connection is not used again. */
    boolean endedCleanly() {
        return decoderEnded && left == 0;
    }

    /** Lets go of the parts held while undecided. */
    void release() {
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held = null;
        }
    }

    /** The bytes of the whole answer if it can pass unchanged, -1 if not. */
    private long length(ByteBuf bytes, HttpMethod method) {
        if (held == null || !(held.get(0) instanceof HttpResponse r)) return -1; // its head is not all here
        for (int i = 1; i < held.size(); i++) {
            if (held.get(i) instanceof HttpResponse) return -1; // a second answer, or junk, in the same read
        }
        if (r.status().codeClass() == HttpStatusClass.INFORMATIONAL
                || !r.decoderResult().isSuccess()
                || !r.protocolVersion().equals(HttpVersion.HTTP_1_1)) return -1;
        HttpHeaders h = r.headers();
        if (h.contains(HttpHeaderNames.CONNECTION) && !onlyKeepAlive(h.getAll(HttpHeaderNames.CONNECTION))
                || h.contains(HttpHeaderNames.KEEP_ALIVE)
                || h.contains(HttpHeaderNames.PROXY_CONNECTION)
                || h.contains(HttpHeaderNames.TRANSFER_ENCODING)
                || !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return -1;
        }
        int headEnd = bytes.forEachByte(new HeadEnd());
        if (headEnd < 0) return -1;
        int code = r.status().code();
        long body = method == HttpMethod.HEAD || code == 204 || code == 304 ? 0 : HttpUtil.getContentLength(r, -1L);
        if (body < 0) return -1;
        return headEnd + 1 - bytes.readerIndex() + body;
    }

    /** Whether a {@code Connection} header says only {@code keep-alive}, naming no header to remove. */
    private static boolean onlyKeepAlive(List<String> connection) {
        return connection.size() == 1 && connection.get(0).trim().equalsIgnoreCase("keep-alive");
    }

    /** Stops at the last byte of the first {@code CRLF CRLF}: the end of a message's head. */
    private static final class HeadEnd implements ByteProcessor {
        private int last4;

        @Override
        public boolean process(byte b) {
            last4 = last4 << 8 | (b & 0xff);
            return last4 != 0x0d0a0d0a;
        }
    }
}
