package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Read-only {@link Map}/{@link java.util.List} views of a Jackson tree in the shapes Vert.x JSON Schema validates
 * ({@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean}, {@code null}).
 *
 * <p>Views instead of a copy: Vert.x only visits the parts of a document that its schema describes, so the free-form
 * {@code misc} objects (often most of a submission) are never converted at all.
 */
final class VertxJsonView {
    private VertxJsonView() {
    }

    /** The Vert.x-shaped value of a node; numbers keep their Java type (Integer, Long, BigInteger, Double). */
    static Object of(JsonNode node) {
        if (node == null) {
            return null;
        }
        return switch (node.getNodeType()) {
            case OBJECT -> new ObjectView((ObjectNode) node);
            case ARRAY -> new ArrayView((ArrayNode) node);
            case STRING -> node.textValue();
            case NUMBER -> node.numberValue();
            case BOOLEAN -> node.booleanValue();
            case NULL, MISSING -> null;
            case BINARY, POJO -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        };
    }

    private static final class ObjectView extends AbstractMap<String, Object> {
        private final ObjectNode node;

        ObjectView(ObjectNode node) {
            this.node = node;
        }

        @Override
        public Object get(Object key) {
            return key instanceof String name ? of(node.get(name)) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && node.has(name);
        }

        @Override
        public int size() {
            return node.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, JsonNode>> fields = node.properties().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return fields.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            Entry<String, JsonNode> field = fields.next();
                            return new SimpleImmutableEntry<>(field.getKey(), of(field.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return node.size();
                }
            };
        }
    }

    private static final class ArrayView extends AbstractList<Object> {
        private final ArrayNode node;

        ArrayView(ArrayNode node) {
            this.node = node;
        }

        @Override
        public Object get(int index) {
            if (index < 0 || index >= node.size()) {
                throw new IndexOutOfBoundsException(index);
            }
            return of(node.get(index));
        }

        @Override
        public int size() {
            return node.size();
        }
    }
}
