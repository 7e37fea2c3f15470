package dev.netmeter.domain.billing;

import java.io.ByteArrayOutputStream;

/**
 * The stored form of {@link DailySamples}, format 1:
 *
 * <pre>
 * byte 0        the format, 1
 * bytes 1–36    which samples a window covered: sample k is bit k % 8 (least significant first) of byte 1 + k / 8
 * then          for each covered sample in order, its bytes, then its packets, each an unsigned LEB128 varint
 *               (7 bits a byte, least significant group first, the high bit set on every byte but the last;
 *               at most 9 bytes, as counts are 0 to Long.MAX_VALUE; no needless trailing zero group)
 * </pre>
 *
 * <p>A day no window covered takes 37 bytes; a day of traffic in every sample about 37 + 288 × 6 bytes at
 * megabytes a sample (at most 37 + 288 × 18 = 5,221). The encoding is canonical: equal days encode to equal
 * bytes, and anything else (another format, a wrong length, an overlong or unfinished varint, bytes left
 * over) is refused, so a stored row that does not decode is a damaged one, never misread. Thread-safe.
 */
public final class DailySamplesCodec {
    /** The format this class writes, and the only one it reads. */
    public static final byte FORMAT = 1;
    private static final int BITMAP = DailySamples.PER_DAY / 8;
    private static final int MAX_VARINT_BYTES = 9;
    /** The longest encoding: format, bitmap, and two 9-byte varints for each of 288 samples (5,221 bytes). */
    public static final int MAX_LENGTH = 1 + BITMAP + DailySamples.PER_DAY * 2 * MAX_VARINT_BYTES;

    private DailySamplesCodec() {
    }

    /** The stored form of {@code day}. */
    public static byte[] encode(DailySamples day) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 + BITMAP + 64);
        out.write(FORMAT);
        byte[] bitmap = new byte[BITMAP];
        for (int k = 0; k < DailySamples.PER_DAY; k++) {
            if (day.covered(k)) {
                bitmap[k >>> 3] |= (byte) (1 << (k & 7));
            }
        }
        out.writeBytes(bitmap);
        for (int k = 0; k < DailySamples.PER_DAY; k++) {
            if (day.covered(k)) {
                writeVarint(out, day.bytes(k));
                writeVarint(out, day.packets(k));
            }
        }
        return out.toByteArray();
    }

    /**
     * The day {@code stored} encodes.
     *
     * @throws IllegalArgumentException if it is not a day encoded by {@link #encode}
     */
    public static DailySamples decode(byte[] stored) {
        if (stored.length < 1 + BITMAP) {
            throw new IllegalArgumentException("%d bytes, shorter than the %d of a day's samples with none covered"
                    .formatted(stored.length, 1 + BITMAP));
        }
        if (stored[0] != FORMAT) {
            throw new IllegalArgumentException("format %d, not %d".formatted(stored[0], FORMAT));
        }
        DailySamples.Builder day = DailySamples.builder();
        int[] position = {1 + BITMAP};
        for (int k = 0; k < DailySamples.PER_DAY; k++) {
            if ((stored[1 + (k >>> 3)] & 1 << (k & 7)) != 0) {
                day.add(k, readVarint(stored, position), readVarint(stored, position));
            }
        }
        if (position[0] != stored.length) {
            throw new IllegalArgumentException("%d bytes left over after the samples"
                    .formatted(stored.length - position[0]));
        }
        return day.build();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    /** Reads a varint at {@code position[0]} and moves it past. */
    private static long readVarint(byte[] stored, int[] position) {
        long value = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            if (position[0] == stored.length) {
                throw new IllegalArgumentException("a count cut short at byte %d".formatted(position[0]));
            }
            int b = stored[position[0]++] & 0xFF;
            if (i == MAX_VARINT_BYTES - 1 && b > 0x7F) {
                throw new IllegalArgumentException("a count past %d at byte %d".formatted(Long.MAX_VALUE,
                        position[0] - 1));
            }
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new IllegalArgumentException("a count with a needless zero group at byte %d"
                            .formatted(position[0] - 1));
                }
                return value;
            }
        }
        throw new IllegalStateException("unreachable: the ninth byte ends every count");
    }
}
