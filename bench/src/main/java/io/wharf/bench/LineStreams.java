package io.wharf.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many long HTTP responses read line by line by one thread over one selector: the watchers of a fan-out
 * measurement, which stand for readers on other machines and so should cost the cores they share with the server
 * as little as a reader can. Each connection's lines (status, headers, chunk sizes and body alike) go to its own
 * {@link Lines}, on the reading thread, as soon as they are read.
 */
final class LineStreams implements AutoCloseable {
    /** What one connection does with each line it reads. */
    @FunctionalInterface
    interface Lines {
        void line(String line);
    }

    private final Selector selector;
    private final Queue<Connection> joining = new ConcurrentLinkedQueue<>();
    private final AtomicReference<String> refused = new AtomicReference<>();
    private final Thread reader;
    private volatile boolean closed;

    LineStreams() throws IOException {
        selector = Selector.open();
        reader = Thread.ofPlatform().name("line-streams").daemon().start(this::read);
    }

    /** Connects to {@code address}, sends {@code request}, and hands every line of the answer to {@code lines}. */
    void open(InetSocketAddress address, String request, Lines lines) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
        channel.configureBlocking(false);
        joining.add(new Connection(channel, lines));
        selector.wakeup();
    }

    /** The status line of the first answer that was not a 200, if one was not. */
    String refused() {
        return refused.get();
    }

    private void read() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        byte[] bytes = new byte[buffer.capacity()];
        try {
            while (!closed) {
                selector.select();
                for (Connection c; (c = joining.poll()) != null; ) {
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    buffer.clear();
                    int n = c.channel.read(buffer);
                    if (n < 0) {
                        key.cancel();
                        c.channel.close();
                        continue;
                    }
                    buffer.flip();
                    buffer.get(bytes, 0, n);
                    c.take(bytes, n);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (!closed) {
                e.printStackTrace();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }

    private final class Connection {
        private final SocketChannel channel;
        private final Lines lines;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private boolean first = true;

        Connection(SocketChannel channel, Lines lines) {
            this.channel = channel;
            this.lines = lines;
        }

        void take(byte[] bytes, int n) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                String line;
                if (partial.size() == 0) {
                    line = text(bytes, start, i);
                } else {
                    partial.write(bytes, start, i - start);
                    byte[] whole = partial.toByteArray();
                    partial.reset();
                    line = text(whole, 0, whole.length);
                }
                start = i + 1;
                if (first) {
                    first = false;
                    if (!line.contains(" 200 ")) {
                        refused.compareAndSet(null, line);
                    }
                }
                lines.line(line);
            }
            partial.write(bytes, start, n - start);
        }

        private static String text(byte[] bytes, int from, int to) {
            int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
            return new String(bytes, from, end - from, StandardCharsets.UTF_8);
        }
    }
}
