package org.kernelci.kcidb.contracts.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.kernelci.kcidb.contracts.cli.ConfigException;
import org.kernelci.kcidb.contracts.events.FailureEvent.Kind;

/**
 * Which failed builds and tests get their logs analysed: the file format of the original worker's
 * {@code logspec_worker.yaml}, read by the db-watcher (what to publish) and the logspec consumer (what to analyse).
 *
 * <pre>{@code
 * maestro:
 *   - type: build
 *   - type: test
 *     include_path: "boot*"        # an fnmatch glob, or a list of them; absent = every path
 * microsoft:
 *   - type: build
 * }</pre>
 *
 * Paths are matched by {@link Glob}s (Python's {@code fnmatch}), compiled once when the file is read.
 * {@code include_path} on a build rule is ignored: builds have no path.
 *
 * @param origins the rules per origin, in file order
 */
public record FailureFilter(Map<String, List<Rule>> origins) {

    /**
     * One entry of an origin's list.
     *
     * @param kind         build or test
     * @param includePaths globs of test paths; empty means every path
     */
    public record Rule(Kind kind, List<Glob> includePaths) {
        public Rule {
            Objects.requireNonNull(kind, "kind");
            includePaths = List.copyOf(includePaths);
        }

        boolean matches(Kind k, String path) {
            if (k != kind) {
                return false;
            }
            if (kind == Kind.BUILD || includePaths.isEmpty()) {
                return true;
            }
            return includePaths.stream().anyMatch(g -> g.matches(path));
        }
    }

    /**
     * One (origin, path pattern) pair for a database query: rows of {@code origin} whose path matches {@code regex}
     * (a regular expression both PostgreSQL and Java read alike), or any path when it is {@code null}.
     */
    public record Selector(String origin, String regex) {
    }

    /** The default of the original worker's example file: maestro builds and boot tests, microsoft builds. */
    public static final String DEFAULT_YAML = """
            maestro:
              - type: build
              - type: test
                include_path: "boot*"
            microsoft:
              - type: build
            """;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public FailureFilter {
        Map<String, List<Rule>> copy = new LinkedHashMap<>();
        origins.forEach((o, rules) -> copy.put(o, List.copyOf(rules)));
        origins = java.util.Collections.unmodifiableMap(copy);
    }

    public static FailureFilter defaults() {
        return parse(DEFAULT_YAML, "the built-in default filter");
    }

    /**
     * The filter a service is configured with: the file, or the built-in default when there is none, narrowed to the
     * named origins (none: all of the file's).
     *
     * @throws ConfigException naming the option when the file cannot be used
     */
    public static FailureFilter configured(Path file, Collection<String> origins) {
        FailureFilter filter;
        try {
            filter = file == null ? defaults() : load(file);
        } catch (InvalidFilterException e) {
            throw new ConfigException("--filter-file / KCIDB_LOGSPEC_FILTER_FILE: " + e.getMessage(), e);
        }
        Set<String> narrow = new LinkedHashSet<>();
        if (origins != null) {
            origins.stream().map(String::strip).filter(o -> !o.isEmpty()).forEach(narrow::add);
        }
        return filter.narrowedTo(narrow);
    }

    /** Reads a filter file. */
    public static FailureFilter load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidFilterException("filter file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidFilterException("cannot read filter file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses the YAML text of a filter.
     *
     * @param source named in error messages
     * @throws InvalidFilterException naming the source and the offending entry
     */
    public static FailureFilter parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new InvalidFilterException(source + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, List<Rule>> origins = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new FailureFilter(origins);
        }
        if (!root.isObject()) {
            throw new InvalidFilterException(source + ": expected a map of origin -> list of {type, include_path}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String origin = e.getKey();
            if (!origin.matches("[a-z0-9_]+")) {
                throw new InvalidFilterException(source + ": '" + origin + "' is not a KCIDB origin ([a-z0-9_]+)");
            }
            JsonNode list = e.getValue();
            List<Rule> rules = new ArrayList<>();
            if (list != null && !list.isNull()) {
                if (!list.isArray()) {
                    throw new InvalidFilterException(source + ": origin " + origin + " must hold a list of {type, include_path}");
                }
                for (JsonNode entry : list) {
                    rules.add(rule(entry, source + ": origin " + origin));
                }
            }
            origins.put(origin, rules);
        }
        return new FailureFilter(origins);
    }

    private static Rule rule(JsonNode entry, String where) {
        if (!entry.isObject()) {
            throw new InvalidFilterException(where + ": entry " + entry + " is not a map {type, include_path}");
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("type") && !name.equals("include_path")) {
                throw new InvalidFilterException(where + ": unknown key '" + name + "' (expected type, include_path)");
            }
        }
        String type = entry.path("type").asText("");
        Kind kind = switch (type) {
            case "build" -> Kind.BUILD;
            case "test" -> Kind.TEST;
            default -> throw new InvalidFilterException(where + ": type must be build or test, not '" + type + "'");
        };
        JsonNode paths = entry.get("include_path");
        List<Glob> globs = new ArrayList<>();
        if (paths != null && !paths.isNull()) {
            if (paths.isTextual()) {
                globs.add(Glob.of(paths.asText()));
            } else if (paths.isArray()) {
                for (JsonNode p : paths) {
                    if (!p.isTextual()) {
                        throw new InvalidFilterException(where + ": include_path entries must be strings, not " + p);
                    }
                    globs.add(Glob.of(p.asText()));
                }
            } else {
                throw new InvalidFilterException(where + ": include_path must be a glob or a list of globs");
            }
        }
        return new Rule(kind, globs);
    }

    /** The same filter restricted to {@code allowed} origins; an empty set leaves it unchanged. */
    public FailureFilter narrowedTo(Collection<String> allowed) {
        if (allowed.isEmpty()) {
            return this;
        }
        Map<String, List<Rule>> kept = new LinkedHashMap<>();
        origins.forEach((o, rules) -> {
            if (allowed.contains(o)) {
                kept.put(o, rules);
            }
        });
        return new FailureFilter(kept);
    }

    /** Whether a failed object of this kind, origin and (test) path is wanted. */
    public boolean accepts(Kind kind, String origin, String path) {
        List<Rule> rules = origins.get(origin);
        if (rules == null) {
            return false;
        }
        for (Rule r : rules) {
            if (r.matches(kind, path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any origin wants objects of this kind. */
    public boolean wants(Kind kind) {
        return !selectors(kind).isEmpty();
    }

    /** The origins that want objects of this kind. */
    public Set<String> origins(Kind kind) {
        Set<String> out = new LinkedHashSet<>();
        for (Selector s : selectors(kind)) {
            out.add(s.origin());
        }
        return out;
    }

    /** The filter for one kind as (origin, path regex) pairs, for a database query. */
    public List<Selector> selectors(Kind kind) {
        List<Selector> out = new ArrayList<>();
        origins.forEach((origin, rules) -> {
            for (Rule r : rules) {
                if (r.kind() != kind) {
                    continue;
                }
                if (kind == Kind.BUILD || r.includePaths().isEmpty()) {
                    out.add(new Selector(origin, null));
                } else {
                    for (Glob glob : r.includePaths()) {
                        out.add(new Selector(origin, glob.regex()));
                    }
                }
            }
        });
        return out;
    }

    /** A filter file that cannot be used; the message names the file and the entry. */
    public static final class InvalidFilterException extends IllegalArgumentException {
        public InvalidFilterException(String message) {
            super(message);
        }

        public InvalidFilterException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
