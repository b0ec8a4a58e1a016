package org.kernelci.kcidb.logspec.consumer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.core5.net.InetAddressUtils;

/** A range of IPv4 or IPv6 addresses: {@code 10.0.0.0/8}, {@code fd00::/8}, or one address ({@code 192.0.2.7}). */
final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException when the text is not an address or a range (DNS is never asked)
     */
    static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        // Only a literal may reach InetAddress, which would look a name up.
        if (!InetAddressUtils.isIPv4(address) && !InetAddressUtils.isIPv6(address)) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or range");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or range", e);
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length", e);
        }
        return of(bytes, prefix, t);
    }

    /** A range given by its bytes: for the IPv4-mapped IPv6 range, which InetAddress turns into IPv4 when parsing it. */
    static Cidr of(byte[] network, int prefix, String text) {
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException(text + ": /" + prefix + " does not fit a " + network.length * 8 + "-bit address");
        }
        return new Cidr(network.clone(), prefix, text);
    }

    /** Whether the address (4 or 16 bytes) is in the range; an IPv4 range never holds an IPv6 address. */
    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
