package org.kernelci.kcidb.logspec.consumer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which addresses the log fetcher may connect to: public ones, plus what the operator allows by host name or range.
 * Loopback, link-local, private, carrier-grade NAT, unspecified, multicast, broadcast and reserved addresses are
 * refused, in IPv4, in IPv6, and in the IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4).
 * A submitter chooses the URL; only the operator chooses what beyond the public internet it may reach.
 */
final class AddressPolicy {

    /** Why an address is refused; {@code label} is the metric label and the word in messages. */
    enum Rule {
        LOOPBACK("loopback", "a loopback address"),
        LINK_LOCAL("link_local", "a link-local address"),
        PRIVATE("private", "a private address"),
        CARRIER_GRADE_NAT("carrier_grade_nat", "a carrier-grade NAT address"),
        UNSPECIFIED("unspecified", "an unspecified address"),
        MULTICAST("multicast", "a multicast address"),
        BROADCAST("broadcast", "the broadcast address"),
        RESERVED("reserved", "a reserved address");

        final String label;
        final String what;

        Rule(String label, String what) {
            this.label = label;
            this.what = what;
        }
    }

    private record Range(Cidr cidr, Rule rule) {
    }

    /** The first range that holds an address names its rule. */
    private static final List<Range> REFUSED = List.of(
            range("0.0.0.0/8", Rule.UNSPECIFIED),
            range("10.0.0.0/8", Rule.PRIVATE),
            range("100.64.0.0/10", Rule.CARRIER_GRADE_NAT),
            range("127.0.0.0/8", Rule.LOOPBACK),
            range("169.254.0.0/16", Rule.LINK_LOCAL),
            range("172.16.0.0/12", Rule.PRIVATE),
            range("192.0.0.0/24", Rule.RESERVED),
            range("192.0.2.0/24", Rule.RESERVED),
            range("192.168.0.0/16", Rule.PRIVATE),
            range("198.18.0.0/15", Rule.RESERVED),
            range("198.51.100.0/24", Rule.RESERVED),
            range("203.0.113.0/24", Rule.RESERVED),
            range("224.0.0.0/4", Rule.MULTICAST),
            range("255.255.255.255/32", Rule.BROADCAST),
            range("240.0.0.0/4", Rule.RESERVED),
            range("::/128", Rule.UNSPECIFIED),
            range("::1/128", Rule.LOOPBACK),
            range("fe80::/10", Rule.LINK_LOCAL),
            range("fec0::/10", Rule.PRIVATE),
            range("fc00::/7", Rule.PRIVATE),
            range("ff00::/8", Rule.MULTICAST),
            range("64:ff9b:1::/48", Rule.PRIVATE),
            range("100::/64", Rule.RESERVED),
            // Teredo tunnels to an address hidden in its bits; no log server needs it.
            range("2001::/32", Rule.RESERVED),
            range("2001:db8::/32", Rule.RESERVED));

    /** IPv6 ranges whose last 32 bits are an IPv4 address the traffic ends up at. */
    private static final List<Cidr> IPV4_IN_LAST_32_BITS = List.of(
            Cidr.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0}, 96, "::ffff:0:0/96"), // mapped
            Cidr.parse("::/96"), // compatible
            Cidr.parse("64:ff9b::/96"), // NAT64
            Cidr.parse("::ffff:0:0:0/96")); // translated (SIIT)
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*"
            + "[a-z0-9_])?)*");

    private final Set<String> hosts;
    private final List<Cidr> ranges;

    private AddressPolicy(Set<String> hosts, List<Cidr> ranges) {
        this.hosts = hosts;
        this.ranges = ranges;
    }

    /** Public addresses only. */
    static AddressPolicy publicOnly() {
        return allowing(List.of());
    }

    /**
     * Public addresses, plus the given host names (whatever they resolve to) and address ranges.
     *
     * @param entries host names ({@code logs.lab.example.org}) and ranges ({@code 10.1.0.0/16}, {@code fd00::/8}, one
     *                address)
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    static AddressPolicy allowing(List<String> entries) {
        Set<String> hosts = new LinkedHashSet<>();
        List<Cidr> ranges = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            try {
                ranges.add(Cidr.parse(e));
                continue;
            } catch (IllegalArgumentException notARange) {
                // a host name, then
            }
            String host = normalise(e);
            // A name whose last label is a number is a malformed address, not a host (RFC 3696 section 2).
            if (!HOST_NAME.matcher(host).matches() || host.substring(host.lastIndexOf('.') + 1).matches("[0-9]+")) {
                throw new IllegalArgumentException("'" + entry + "' is neither a host name nor an IP address or range");
            }
            hosts.add(host);
        }
        return new AddressPolicy(Set.copyOf(hosts), List.copyOf(ranges));
    }

    /** The rule that refuses connecting to {@code address} for the URL's {@code host}, or empty when it is allowed. */
    Optional<Rule> refusal(String host, InetAddress address) {
        if (hosts.contains(normalise(host))) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        byte[] ipv4 = embeddedIpv4(bytes);
        if (allowed(bytes) || (ipv4 != null && allowed(ipv4))) {
            return Optional.empty();
        }
        Optional<Rule> rule = ruleOf(bytes);
        return rule.isPresent() || ipv4 == null ? rule : ruleOf(ipv4);
    }

    @Override
    public String toString() {
        if (hosts.isEmpty() && ranges.isEmpty()) {
            return "public addresses only";
        }
        return "public addresses, and" + (hosts.isEmpty() ? "" : " hosts " + hosts)
                + (hosts.isEmpty() || ranges.isEmpty() ? "" : " and") + (ranges.isEmpty() ? "" : " ranges " + ranges);
    }

    private boolean allowed(byte[] address) {
        for (Cidr c : ranges) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Rule> ruleOf(byte[] address) {
        for (Range r : REFUSED) {
            if (r.cidr().contains(address)) {
                return Optional.of(r.rule());
            }
        }
        return Optional.empty();
    }

    private static byte[] embeddedIpv4(byte[] address) {
        if (address.length != 16) {
            return null;
        }
        for (Cidr c : IPV4_IN_LAST_32_BITS) {
            if (c.contains(address)) {
                return Arrays.copyOfRange(address, 12, 16);
            }
        }
        return SIX_TO_FOUR.contains(address) ? Arrays.copyOfRange(address, 2, 6) : null;
    }

    private static String normalise(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static Range range(String cidr, Rule rule) {
        return new Range(Cidr.parse(cidr), rule);
    }
}
