package dev.netmeter.domain;

/** An IP address family; IPv4 blocks never overlap IPv6 blocks. */
public enum IpVersion {
    V4(4, 32),
    V6(6, 128);

    private final int number;
    private final int bits;

    IpVersion(int number, int bits) {
        this.number = number;
        this.bits = bits;
    }

    /** 4 or 6, as stored in the database. */
    public int number() {
        return number;
    }

    /** Address length in bits. */
    public int bits() {
        return bits;
    }

    /** The version numbered {@code number} (4 or 6). */
    public static IpVersion of(int number) {
        return switch (number) {
            case 4 -> V4;
            case 6 -> V6;
            default -> throw new IllegalArgumentException("no IP version " + number);
        };
    }
}
