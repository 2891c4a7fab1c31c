package io.incidentcomms.statuspage.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a subscriber's webhook may point: a public address only. A URL that names (or resolves to)
 * a loopback, private, link-local (169.254.169.254, the cloud's metadata service), carrier-grade
 * NAT, unique-local, multicast or unspecified address would let anyone who can sign up make this
 * service call inside the network it runs in; it is refused at sign-up and again, after resolving
 * the name afresh, before every request and every redirect. {@code allowLoopback} is a switch for
 * tests, whose stub listens on 127.0.0.1; nothing else is let through by it.
 */
final class PublicAddresses {

    /** A checked destination: the URL and the one address to connect to (so a second lookup cannot change it). */
    record Checked(URI url, InetAddress address, int port) {
    }

    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    private final boolean allowLoopback;
    private final Resolver resolver;

    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    PublicAddresses(boolean allowLoopback) {
        this(allowLoopback, InetAddress::getAllByName);
    }

    PublicAddresses(boolean allowLoopback, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    /** The URL's shape (http or https, a host, no credentials) and every address its host resolves to. */
    Checked check(String url) throws Refused {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new Refused("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Refused("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new Refused("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("must not carry credentials");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("names a host that does not resolve");
        }
        if (addresses.length == 0) {
            throw new Refused("names a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = whyNotPublic(address);
            if (why != null) {
                throw new Refused("must be a public address, not " + why);
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new Checked(uri, addresses[0], port);
    }

    /** Why an address is not one to call, or null when it is public. */
    String whyNotPublic(InetAddress address) {
        InetAddress checked = embeddedIpv4(address);
        if (checked.isLoopbackAddress()) {
            return allowLoopback ? null : "a loopback address";
        }
        if (checked.isAnyLocalAddress()) {
            return "an unspecified address";
        }
        if (checked.isLinkLocalAddress()) {
            return "a link-local address (such as a cloud metadata service)";
        }
        if (checked.isSiteLocalAddress()) {
            return "a private address";
        }
        if (checked.isMulticastAddress()) {
            return "a multicast address";
        }
        byte[] b = checked.getAddress();
        if (checked instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "an address of this network";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return "a special-purpose address (such as a cloud metadata service)";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "a carrier-grade NAT address";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "a benchmarking address";
            }
            if (first >= 240) {
                return "a reserved address";
            }
        } else if (checked instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return "a unique-local address";
        } else if (checked instanceof Inet6Address && (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return "a NAT64 address";
        }
        return null;
    }

    /**
     * An IPv4 address carried in IPv6 is judged as the IPv4 address it reaches: mapped
     * ({@code ::ffff:a.b.c.d}), translated ({@code ::ffff:0:a.b.c.d}), compatible ({@code ::a.b.c.d}),
     * NAT64 ({@code 64:ff9b::a.b.c.d}, where a cluster's DNS64 turns 169.254.169.254 into
     * {@code 64:ff9b::a9fe:a9fe}) and 6to4 ({@code 2002:aabb:ccdd::}).
     */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return ipv4(address, b, 2);
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && zero(b, 4, 12);
        if (nat64) {
            return ipv4(address, b, 12);
        }
        if (!zero(b, 0, 8)) {
            return address;
        }
        boolean mapped = zero(b, 8, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean translated = (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zero(b, 10, 12);
        boolean compatible = zero(b, 8, 12) && !(zero(b, 12, 15) && (b[15] & 0xfe) == 0);
        return mapped || translated || compatible ? ipv4(address, b, 12) : address;
    }

    private static boolean zero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(InetAddress original, byte[] bytes, int at) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, at, at + 4));
        } catch (UnknownHostException e) {
            return original;
        }
    }
}
