package dev.netmeter.agent.driver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Three namespaces a test builds and tears down, as a Neutron router host has them: a client behind the
 * router's internal port, the router (forwarding, its external interface {@code qg-nmtest}), and an
 * external host. Each end has {@link #ADDRESSES} IPv4 and IPv6 addresses, so that traffic can come from
 * and go to several of them. Documentation ranges only (RFC 5737, RFC 3849); nothing leaves the machine.
 * Both ends drop the UDP they receive, so no reply or ICMP error crosses the router. Not thread-safe.
 */
public final class RouterTopology implements AutoCloseable {
    public static final String EXTERNAL_INTERFACE = "qg-nmtest";
    public static final int ADDRESSES = 4;
    /** The UDP port traffic is sent to (and dropped at). */
    public static final int PORT = 9;

    private final NetworkNamespace client;
    private final NetworkNamespace router;
    private final NetworkNamespace external;

    private RouterTopology(NetworkNamespace client, NetworkNamespace router, NetworkNamespace external) {
        this.client = client;
        this.router = router;
        this.external = external;
    }

    public static RouterTopology create() {
        NetworkNamespace router = NetworkNamespace.create();
        List<NetworkNamespace> made = new ArrayList<>(List.of(router));
        try {
            NetworkNamespace client = NetworkNamespace.create();
            made.add(client);
            NetworkNamespace external = NetworkNamespace.create();
            made.add(external);
            for (NetworkNamespace namespace : made) {
                namespace.execOrFail("ip", "link", "set", "lo", "up");
            }
            router.execOrFail("ip", "link", "add", "qr-nmtest", "type", "veth", "peer", "name", "cl-eth0");
            router.execOrFail("ip", "link", "set", "cl-eth0", "netns", client.name());
            router.execOrFail("ip", "link", "add", EXTERNAL_INTERFACE, "type", "veth", "peer", "name", "ex-eth0");
            router.execOrFail("ip", "link", "set", "ex-eth0", "netns", external.name());
            address(router, "qr-nmtest", "198.51.100.1/24", "2001:db8:1::1/64");
            address(router, EXTERNAL_INTERFACE, "203.0.113.1/24", "2001:db8:2::1/64");
            for (int i = 0; i < ADDRESSES; i++) {
                address(client, "cl-eth0", clientAddress(4, i) + "/24", clientAddress(6, i) + "/64");
                address(external, "ex-eth0", externalAddress(4, i) + "/24", externalAddress(6, i) + "/64");
            }
            client.execOrFail("ip", "route", "add", "default", "via", "198.51.100.1");
            client.execOrFail("ip", "-6", "route", "add", "default", "via", "2001:db8:1::1");
            external.execOrFail("ip", "route", "add", "default", "via", "203.0.113.1");
            external.execOrFail("ip", "-6", "route", "add", "default", "via", "2001:db8:2::1");
            router.execOrFail("sysctl", "-qw", "net.ipv4.ip_forward=1");
            router.execOrFail("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
            for (NetworkNamespace end : List.of(client, external)) {
                end.execWithInput("table inet sink {\n chain input {\n"
                        + "  type filter hook input priority 0; policy accept;\n"
                        + "  udp dport " + PORT + " drop\n }\n}\n", "nft", "-f", "-");
            }
            return new RouterTopology(client, router, external);
        } catch (RuntimeException | Error e) {
            made.forEach(NetworkNamespace::close);
            throw e;
        }
    }

    private static void address(NetworkNamespace namespace, String device, String v4, String v6) {
        namespace.execOrFail("ip", "addr", "add", v4, "dev", device);
        namespace.execOrFail("ip", "addr", "add", v6, "dev", device, "nodad");
        namespace.execOrFail("ip", "link", "set", device, "up");
    }

    /** The client's address number {@code i} ({@code 198.51.100.10+i}, {@code 2001:db8:1::10+i}). */
    public static String clientAddress(int version, int i) {
        return version == 4 ? "198.51.100." + (10 + i) : "2001:db8:1::" + (10 + i);
    }

    /** The external host's address number {@code i} ({@code 203.0.113.10+i}, {@code 2001:db8:2::10+i}). */
    public static String externalAddress(int version, int i) {
        return version == 4 ? "203.0.113." + (10 + i) : "2001:db8:2::" + (10 + i);
    }

    public NetworkNamespace router() {
        return router;
    }

    /**
     * Sends UDP datagrams: each line of {@code datagrams} is {@code source destination payloadBytes}, sent
     * from the client when the source is the client's, from the external host otherwise. Paced, so that no
     * queue overflows; every datagram reaches the other end (where it is dropped).
     */
    public void send(List<String> datagrams) {
        List<String> fromClient = datagrams.stream().filter(RouterTopology::fromClient).toList();
        List<String> fromExternal = datagrams.stream().filter(line -> !fromClient.contains(line)).toList();
        sendFrom(client, fromClient);
        sendFrom(external, fromExternal);
    }

    private static void sendFrom(NetworkNamespace namespace, List<String> datagrams) {
        if (datagrams.isEmpty()) {
            return;
        }
        namespace.execWithInput(String.join("\n", datagrams) + "\n", "python3", "-c", """
                import socket, sys, time
                sockets = {}
                for n, line in enumerate(sys.stdin):
                    source, destination, size = line.split()
                    family = socket.AF_INET6 if ':' in source else socket.AF_INET
                    if source not in sockets:
                        sockets[source] = socket.socket(family, socket.SOCK_DGRAM)
                        sockets[source].bind((source, 0))
                    sockets[source].sendto(b'x' * int(size), (destination, %d))
                    if n %% 20 == 19:
                        time.sleep(0.002)
                """.formatted(PORT));
    }

    /**
     * Starts sending UDP datagrams of {@code payload} bytes along each of {@code flows} ({@code source destination},
     * from the end that has the source address), round robin, at about {@code perSecond} datagrams a second from
     * each end, until the returned processes are destroyed. What crosses the router is for the caller to count.
     */
    public List<Process> startSending(List<String> flows, int perSecond, int payload) throws IOException {
        List<String> fromClient = flows.stream().filter(RouterTopology::fromClient).toList();
        List<String> fromExternal = flows.stream().filter(flow -> !fromClient(flow)).toList();
        List<Process> senders = new ArrayList<>();
        for (var end : List.of(Map.entry(client, fromClient), Map.entry(external, fromExternal))) {
            if (!end.getValue().isEmpty()) {
                senders.add(new ProcessBuilder("ip", "netns", "exec", end.getKey().name(), "python3", "-c", """
                        import socket, sys, time
                        flows = [line.split() for line in sys.argv[1].split(',')]
                        rate, payload = int(sys.argv[2]), b'x' * int(sys.argv[3])
                        sockets = []
                        for source, destination in flows:
                            s = socket.socket(socket.AF_INET6 if ':' in source else socket.AF_INET, socket.SOCK_DGRAM)
                            s.bind((source, 0))
                            sockets.append((s, (destination, %d)))
                        start, sent = time.monotonic(), 0
                        while True:
                            due = int((time.monotonic() - start) * rate)
                            while sent < due:
                                s, to = sockets[sent %% len(sockets)]
                                s.sendto(payload, to)
                                sent += 1
                            time.sleep(0.0005)
                        """.formatted(PORT), String.join(",", end.getValue()), Integer.toString(perSecond),
                        Integer.toString(payload)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
        }
        return senders;
    }

    private static boolean fromClient(String line) {
        return line.startsWith("198.51.100.") || line.startsWith("2001:db8:1::");
    }

    @Override
    public void close() {
        client.close();
        router.close();
        external.close();
    }
}
