package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tree-name normalisation from a {@code trees.yml} ({@code trees: {<name>: {url: <git url>}}}): a checkout whose
 * {@code git_repository_url} equals one of the URLs exactly (no normalisation of case, {@code .git} or a trailing
 * slash, as the original ingesters did) gets that tree's name. Applied after validation, to valid documents only.
 *
 * <p>The default is the original deployment's data file, shipped as a resource. A configured file is re-read when its
 * modification time changes (checked at most every {@link #RECHECK}); a file that no longer parses keeps the previous
 * names, with an error logged.
 */
final class TreeNames {
    static final String DEFAULT_RESOURCE = "trees.yml";
    static final Duration RECHECK = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(TreeNames.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final TreeNames NONE = new TreeNames(Map.of(), Optional.empty(), Clock.systemUTC());

    private final Optional<Path> file;
    private final Clock clock;
    private volatile Map<String, String> nameByUrl;
    private volatile Instant nextCheck;
    private volatile FileTime loadedModified;

    private TreeNames(Map<String, String> nameByUrl, Optional<Path> file, Clock clock) {
        this.nameByUrl = Map.copyOf(nameByUrl);
        this.file = file;
        this.clock = clock;
        this.nextCheck = clock.instant().plus(RECHECK);
    }

    /** The shipped default (the original deployment's trees.yml). */
    static TreeNames defaults() {
        try (InputStream in = TreeNames.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return new TreeNames(parse(in.readAllBytes(), DEFAULT_RESOURCE), Optional.empty(), Clock.systemUTC());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + DEFAULT_RESOURCE, e);
        }
    }

    /**
     * From a file, re-read when it changes.
     *
     * @throws ConfigException when the file cannot be read or is not a trees file
     */
    static TreeNames fromFile(Path path, Clock clock) {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            TreeNames names = new TreeNames(parse(Files.readAllBytes(path), path.toString()), Optional.of(path), clock);
            names.loadedModified = modified;
            LOG.info("Tree names: {} repositories from {}", names.nameByUrl.size(), path);
            return names;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("--trees-file / KCIDB_TREES_FILE " + path + ": " + e.getMessage(), e);
        }
    }

    static Map<String, String> parse(byte[] yaml, String source) throws IOException {
        JsonNode root = YAML.readTree(yaml);
        JsonNode trees = root == null ? null : root.get("trees");
        if (trees == null || !trees.isObject()) {
            throw new IllegalArgumentException(source + " has no 'trees' mapping");
        }
        Map<String, String> byUrl = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : trees.properties()) {
            JsonNode url = e.getValue().path("url");
            if (!url.isTextual()) {
                throw new IllegalArgumentException(source + ": tree '" + e.getKey() + "' has no url");
            }
            String previous = byUrl.put(url.asText(), e.getKey());
            if (previous != null) {
                LOG.warn("{}: trees '{}' and '{}' share the url {}; '{}' wins", source, previous, e.getKey(),
                        url.asText(), e.getKey());
            }
        }
        return byUrl;
    }

    int size() {
        return nameByUrl.size();
    }

    /** Sets {@code tree_name} of every checkout whose repository URL is known. */
    void normalise(JsonNode document) {
        reloadIfChanged();
        Map<String, String> names = nameByUrl;
        if (names.isEmpty()) {
            return;
        }
        for (JsonNode checkout : document.path("checkouts")) {
            JsonNode url = checkout.get("git_repository_url");
            if (url != null && url.isTextual()) {
                String name = names.get(url.asText());
                if (name != null && checkout instanceof ObjectNode o) {
                    o.put("tree_name", name);
                }
            }
        }
    }

    private void reloadIfChanged() {
        if (file.isEmpty() || clock.instant().isBefore(nextCheck)) {
            return;
        }
        synchronized (this) {
            if (clock.instant().isBefore(nextCheck)) {
                return;
            }
            nextCheck = clock.instant().plus(RECHECK);
            Path path = file.get();
            try {
                FileTime modified = Files.getLastModifiedTime(path);
                if (modified.equals(loadedModified)) {
                    return;
                }
                nameByUrl = Map.copyOf(parse(Files.readAllBytes(path), path.toString()));
                loadedModified = modified;
                LOG.info("Tree names reloaded: {} repositories from {}", nameByUrl.size(), path);
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("Tree names: cannot reload {} ({}); keeping the {} names loaded before", path, e.getMessage(),
                        nameByUrl.size());
            }
        }
    }
}
