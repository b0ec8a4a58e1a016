package org.kernelci.kcidb.contracts.kcidb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** JSON pointers (RFC 6901) as {@link Violation} carries them. */
final class JsonPointers {
    private JsonPointers() {
    }

    /**
     * The JSON pointer inside a URI fragment such as Vert.x reports ({@code #/tests/0/a~1b%20c}): the part after
     * {@code #}, percent-decoded. Vert.x percent-encodes {@code %} itself, so decoding is unambiguous.
     */
    static String fromUriFragment(String location) {
        if (location == null) {
            return "";
        }
        int hash = location.indexOf('#');
        String fragment = hash < 0 ? location : location.substring(hash + 1);
        return fragment.indexOf('%') < 0 ? fragment : percentDecode(fragment);
    }

    /** The pointer to a member of the object or array at {@code pointer}. */
    static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static String child(String pointer, int index) {
        return pointer + "/" + index;
    }

    /** The pointer to the container of the value at {@code pointer}; {@code ""} for the document itself. */
    static String parent(String pointer) {
        int slash = pointer.lastIndexOf('/');
        return slash <= 0 ? "" : pointer.substring(0, slash);
    }

    /** The unescaped last reference token of a pointer. */
    static String lastSegment(String pointer) {
        return pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
    }

    private static String percentDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                // Not '+'-as-space decoding: a URI fragment is not a form.
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    utf8 = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
                i++;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
