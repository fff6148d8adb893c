package io.wharf.lb.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The first handler of an endpoint connection: lets the HTTP decoder read each buffer the endpoint sends,
 * then hands the same bytes to the exchange, which passes an answer's bytes to the client as they came
 * when it can, rather than encoding the decoded answer again.
 */
final class ResponseTap extends ChannelInboundHandlerAdapter {
    private UpstreamHandler upstream;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upstream == null) upstream = ctx.pipeline().get(UpstreamHandler.class);
        HttpExchange e = upstream == null ? null : upstream.exchange();
        if (e == null || !e.wantsRaw() || !(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf raw = buf.retainedDuplicate();
        ctx.fireChannelRead(buf); // the decoder, then the exchange, see it decoded first
        e.raw(raw);
    }
}
