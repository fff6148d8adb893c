package io.wharf.lb.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassThroughTest {
    private EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder());

    /** Decodes {@code text} as one read, handing the parts to {@code p} as the exchange does. */
    private ByteBuf read(PassThrough p, String text) {
        ByteBuf bytes = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        decoder.writeInbound(bytes.retainedDuplicate());
        for (Object part; (part = decoder.readInbound()) != null; )
            assertThat(p.take(part)).isTrue();
        return bytes;
    }

    @Test
    void passesAnAnswerFramedByItsLength() {
        PassThrough p = new PassThrough(true);
        ByteBuf bytes = read(p, "HTTP/1.1 503 Busy\r\nContent-Length: 2\r\n\r\nok");
        HttpResponse head = p.decide(bytes, HttpMethod.GET, part -> {
            throw new AssertionError("nothing to decode again");
        });
        assertThat(head.status().code()).isEqualTo(503);
        assertThat(p.raw()).isTrue();
        assertThat(p.trim(bytes)).isFalse();
        assertThat(p.ended()).isTrue();
        assertThat(p.endedCleanly()).isTrue();
        bytes.release();
    }

    @Test
    void cutsWhatComesAfterTheAnswer() {
        PassThrough p = new PassThrough(true);
        ByteBuf bytes = read(p, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokJUNK");
        assertThat(p.decide(bytes, HttpMethod.GET, part -> {})).isNotNull();
        assertThat(p.trim(bytes)).isTrue();
        assertThat(bytes.toString(StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\nok");
        assertThat(p.ended()).isTrue();
        bytes.release();
    }

    @Test
    void countsTheBodyAcrossReads() {
        PassThrough p = new PassThrough(true);
        ByteBuf first = read(p, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabc");
        assertThat(p.decide(first, HttpMethod.GET, part -> {})).isNotNull();
        assertThat(p.trim(first)).isFalse();
        assertThat(p.ended()).isFalse();
        ByteBuf second = read(p, "def");
        assertThat(p.trim(second)).isFalse();
        assertThat(p.ended()).isTrue();
        assertThat(p.endedCleanly()).isTrue();
        first.release();
        second.release();
    }

    @Test
    void anAnswerToHeadHasNoBody() {
        PassThrough p = new PassThrough(true);
        // the decoder, told nothing of the request, waits for 100 bytes; the pass-through knows there are none
        ByteBuf bytes = read(p, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
        assertThat(p.decide(bytes, HttpMethod.HEAD, part -> {})).isNotNull();
        assertThat(p.trim(bytes)).isFalse();
        assertThat(p.ended()).isTrue();
        bytes.release();
    }

    @Test
    void decodesWhatNeedsChanging() {
        for (String answer : List.of(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
            PassThrough p = new PassThrough(true);
            ByteBuf bytes = read(p, answer);
            List<Object> decoded = new ArrayList<>();
            assertThat(p.decide(bytes, HttpMethod.GET, decoded::add)).as(answer).isNull();
            assertThat(p.raw()).isFalse();
            assertThat(p.wantsBytes()).isFalse();
            assertThat(decoded.get(0)).isInstanceOf(HttpResponse.class);
            assertThat(decoded).anyMatch(part -> part instanceof LastHttpContent);
            assertThat(p.take("later")).isFalse(); // the exchange encodes the rest again itself
            decoded.forEach(io.netty.util.ReferenceCountUtil::release);
            bytes.release();
            decoder.finishAndReleaseAll();
            decoder = new EmbeddedChannel(new HttpResponseDecoder());
        }
    }

    @Test
    void aHeadSplitAcrossReadsIsDecoded() {
        PassThrough p = new PassThrough(true);
        ByteBuf bytes = read(p, "HTTP/1.1 200 OK\r\nContent-Le");
        List<Object> decoded = new ArrayList<>();
        assertThat(p.decide(bytes, HttpMethod.GET, decoded::add)).isNull();
        assertThat(decoded).isEmpty();
        assertThat(p.raw()).isFalse();
        bytes.release();
    }

    @Test
    void oneThatMayNotPassThroughNeverWantsTheBytes() {
        assertThat(new PassThrough(false).wantsBytes()).isFalse();
        assertThat(new PassThrough(false).take("part")).isFalse();
        assertThat(new PassThrough(true).wantsBytes()).isTrue();
    }
}
