package io.wharf.lb.balance;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

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

        /** How many backends may take a request at {@code now}. No allocation: this runs for every request. */
        int available(long now) {
            int n = 0;
            for (int i = 0; i < backends.size(); i++) {
                if (backends.get(i).available(now)) n++;
            }
            return n;
        }

        /**
         * The {@code index}-th of the {@code count} available backends ({@link #available(long)}); if another
         * thread ejected one since they were counted, the last one still available, or null if none is.
         */
        @Nullable
        Backend nthAvailable(int index, int count, long now) {
            if (count == backends.size()) return backends.get(index);
            Backend last = null;
            for (int i = 0, seen = 0; i < backends.size(); i++) {
                Backend b = backends.get(i);
                if (!b.available(now)) continue;
                if (seen++ == index) return b;
                last = b;
            }
            return last;
        }
    }

    static final class RoundRobin extends Base {
        RoundRobin(List<Backend> backends) {
            super(backends);
        }

        @Override
        public Optional<Backend> pick(long key, long now) {
            // turn over the available ones only, so an ejected backend's turns are shared, not handed to its neighbour
            int up = available(now);
            return up == 0
                    ? Optional.empty()
                    : Optional.ofNullable(
                            nthAvailable((int) Math.floorMod(cursor.getAndIncrement(), (long) up), up, now));
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
            int up = available(now);
            if (up == 0) return Optional.empty();
            if (up == 1) return Optional.ofNullable(nthAvailable(0, up, now));
            ThreadLocalRandom r = ThreadLocalRandom.current();
            int i = r.nextInt(up);
            int j = r.nextInt(up - 1);
            if (j >= i) j++;
            Backend a = nthAvailable(i, up, now);
            Backend b = nthAvailable(j, up, now);
            if (a == null || b == null) return Optional.ofNullable(a != null ? a : b);
            return Optional.of(a.inFlight() <= b.inFlight() ? a : b);
        }
    }
}
