package org.kernelci.kcidb.logspec.consumer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.core5.net.InetAddressUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the host of each connection the log fetcher opens, and hands the HTTP client only the addresses the
 * {@link AddressPolicy} allows: the client connects to exactly these, so no later lookup (DNS rebinding) can swap in
 * another address. Every connection goes through here, the first one and those of redirects alike.
 */
final class PolicyDnsResolver implements DnsResolver {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyDnsResolver.class);

    /** Looks a host name (or an address literal) up; the system's resolver, or a fake one in tests. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    static final Lookup SYSTEM = InetAddress::getAllByName;

    private final Lookup lookup;
    private final AddressPolicy policy;

    PolicyDnsResolver(Lookup lookup, AddressPolicy policy) {
        this.lookup = lookup;
        this.policy = policy;
    }

    /**
     * @throws UrlRefusedException when the host resolves to no address the policy allows
     */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] found = lookup.lookup(name);
        List<InetAddress> allowed = new ArrayList<>();
        AddressPolicy.Rule refused = null;
        for (InetAddress address : found) {
            Optional<AddressPolicy.Rule> rule = policy.refusal(name, address);
            if (rule.isEmpty()) {
                allowed.add(address);
            } else {
                LOG.debug("{} resolves to {}, refused ({})", name, address.getHostAddress(), rule.get().label);
                refused = refused == null ? rule.get() : refused;
            }
        }
        if (allowed.isEmpty()) {
            if (refused == null) {
                throw new UnknownHostException(name + ": no address");
            }
            boolean literal = InetAddressUtils.isIPv4(name) || name.contains(":");
            throw new UrlRefusedException(refused.label, name + (literal ? " is " : " resolves to ") + refused.what
                    + ", which log URLs may not name");
        }
        return allowed.toArray(InetAddress[]::new);
    }

    /** Not used to connect; answered without a reverse lookup. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
