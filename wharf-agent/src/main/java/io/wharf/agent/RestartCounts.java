package io.wharf.agent;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How often each container exited since it got its current image, kept in {@code DATA/restarts.properties}
 * so that a restarted agent, adopting its containers, counts on from where the last one stopped.
 */
final class RestartCounts {
    private static final Logger log = LoggerFactory.getLogger(RestartCounts.class);
    static final String FILE = "restarts.properties";

    private final Path file;
    private final Properties counts = new Properties();

    RestartCounts(Path dataDir) {
        this.file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                counts.load(in);
            } catch (IOException | IllegalArgumentException e) {
                log.warn("restart counts unreadable, counting from zero file={} reason=\"{}\"", file, e.getMessage());
                counts.clear();
            }
        }
    }

    /** The exits counted for container {@code id} while it ran {@code image}; 0 if it ran another. */
    synchronized int get(String id, String image) {
        String value = counts.getProperty(id, "");
        int space = value.lastIndexOf(' ');
        if (space < 0 || !value.substring(0, space).equals(image)) return 0;
        try {
            return Integer.parseInt(value.substring(space + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Counts {@code restarts} exits of container {@code id} on {@code image}. */
    synchronized void put(String id, String image, int restarts) {
        String value = image + " " + restarts;
        if (value.equals(counts.getProperty(id))) return;
        counts.setProperty(id, value);
        save();
    }

    /** Forgets a container that was removed. */
    synchronized void remove(String id) {
        if (counts.remove(id) != null) save();
    }

    private void save() {
        Path tmp = file.resolveSibling(FILE + ".new");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            counts.store(out, "exits per container since it got its image");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save restart counts to " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save restart counts to " + file, e);
        }
    }
}
