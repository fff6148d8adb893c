package io.wharf.lb.internal.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * A place in a client connection's pipeline before the HTTP encoder: bytes written from its context go to
 * the client as they are, for answers passed through unchanged.
 */
@ChannelHandler.Sharable
final class RawOut extends ChannelOutboundHandlerAdapter {
    static final RawOut INSTANCE = new RawOut();

    private RawOut() {}
}
