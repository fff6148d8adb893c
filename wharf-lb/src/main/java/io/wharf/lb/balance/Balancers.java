package io.wharf.lb.balance;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The rules that need no more than a list and a cursor. */
final class Balancers {
    private Balancers() {}

    abstract static class Base implements Balancer {
        final List<Backend> backends;
        final AtomicLong cursor = new AtomicLong();

        Base(List<Backend> backends) {
            this.backends = List.copyOf(backends);
        }

        @Override
        public List<Backend> backends() {
            return backends;
        }

        List<Backend> available(long now) {
            return backends.stream().filter(b -> b.available(now)).toList();
        }
    }

    static final class RoundRobin extends Base {
        RoundRobin(List<Backend> backends) {
            super(backends);
        }

        @Override
        public Optional<Backend> pick(long key, long now) {
            // turn over the available ones only, so an ejected backend's turns are shared, not handed to its neighbour
            List<Backend> up = available(now);
            return up.isEmpty()
                    ? Optional.empty()
                    : Optional.of(up.get((int) Math.floorMod(cursor.getAndIncrement(), (long) up.size())));
        }
    }

    /**
     * Smooth weighted round robin: each pick adds every backend's weight to its current score, takes the
     * highest, and subtracts the total from it. Weights 5, 1, 1 give a a b a c a a, not a a a a a b c.
     */
    static final class SmoothWeighted extends Base {
        private final long[] current;

        SmoothWeighted(List<Backend> backends) {
            super(backends);
            this.current = new long[this.backends.size()];
        }

        @Override
        public synchronized Optional<Backend> pick(long key, long now) {
            int best = -1;
            long total = 0;
            for (int i = 0; i < backends.size(); i++) {
                Backend b = backends.get(i);
                if (!b.available(now)) continue;
                current[i] += b.weight();
                total += b.weight();
                if (best < 0 || current[i] > current[best]) best = i;
            }
            if (best < 0) return Optional.empty();
            current[best] -= total;
            return Optional.of(backends.get(best));
        }
    }

    static final class LeastConnections extends Base {
        LeastConnections(List<Backend> backends) {
            super(backends);
        }

        @Override
        public Optional<Backend> pick(long key, long now) {
            int n = backends.size();
            long start = cursor.getAndIncrement();
            Backend best = null;
            for (int i = 0; i < n; i++) {
                Backend b = backends.get((int) Math.floorMod(start + i, (long) n));
                if (b.available(now)
                        && (best == null
                                || b.inFlight() * (long) best.weight() < best.inFlight() * (long) b.weight())) {
                    best = b;
                }
            }
            return Optional.ofNullable(best);
        }
    }

    static final class PowerOfTwo extends Base {
        PowerOfTwo(List<Backend> backends) {
            super(backends);
        }

        @Override
        public Optional<Backend> pick(long key, long now) {
            List<Backend> up = available(now);
            if (up.isEmpty()) return Optional.empty();
            if (up.size() == 1) return Optional.of(up.get(0));
            ThreadLocalRandom r = ThreadLocalRandom.current();
            int i = r.nextInt(up.size());
            int j = r.nextInt(up.size() - 1);
            if (j >= i) j++;
            Backend a = up.get(i);
            Backend b = up.get(j);
            return Optional.of(a.inFlight() <= b.inFlight() ? a : b);
        }
    }
}
