package io.wharf.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Opens W event streams spread over the services s0..s(S-1), waits until each has its snapshot, prints
 * {@code ready}, and holds them (reading and discarding) until the process is stopped.
 *
 * <p>Usage: {@code HoldWatchers URL TOKEN WATCHERS SERVICES}
 */
public final class HoldWatchers {
    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        int watchers = Integer.parseInt(args[2]);
        int services = Integer.parseInt(args[3]);
        CountDownLatch ready = new CountDownLatch(watchers);
        List<SseSocket> sockets = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            String path = "/v1/namespaces/default/services/s" + (w % services) + "/endpoints?watcher=hold-" + w;
            SseSocket s = new SseSocket(base.getHost(), base.getPort(), path, token);
            sockets.add(s);
            Thread.ofVirtual().start(() -> {
                try {
                    String line;
                    boolean counted = false;
                    while ((line = s.readLine()) != null) {
                        if (!counted && line.startsWith("event: snapshot")) {
                            counted = true;
                            ready.countDown();
                        }
                    }
                } catch (Exception closed) {
                    // stopped
                }
            });
        }
        if (!ready.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(ready.getCount() + " watchers got no snapshot");
        }
        System.out.println("ready " + sockets.size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
