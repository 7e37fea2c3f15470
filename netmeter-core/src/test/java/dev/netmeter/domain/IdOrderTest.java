package dev.netmeter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Router and label ids order as their texts do: stored usage reports are hashed in that order, so a faster
 * comparison must give exactly the order of the text comparison it replaced.
 */
class IdOrderTest {
    @Test
    void ids_order_as_their_canonical_texts_order() {
        Random random = new Random(20261203);
        UUID[] edges = {new UUID(0, 0), new UUID(-1, -1), new UUID(Long.MIN_VALUE, 0), new UUID(Long.MAX_VALUE, 1),
                new UUID(0, Long.MIN_VALUE), new UUID(0, Long.MAX_VALUE), new UUID(0x9fffffffffffffffL, 0),
                new UUID(0xa000000000000000L, 0)};
        for (int i = 0; i < 200_000; i++) {
            UUID left = i < edges.length * edges.length ? edges[i % edges.length] : randomish(random);
            UUID right = i < edges.length * edges.length ? edges[i / edges.length] : randomish(random);
            int byText = Integer.signum(left.toString().compareTo(right.toString()));
            assertThat(Integer.signum(new RouterId(left).compareTo(new RouterId(right)))).as("%s vs %s", left, right)
                    .isEqualTo(byText);
            assertThat(Integer.signum(new LabelId(left).compareTo(new LabelId(right)))).isEqualTo(byText);
        }
    }

    /** Random bits, half the time sharing the high half (so the low halves decide) or a hex digit run. */
    private static UUID randomish(Random random) {
        long high = random.nextInt(4) == 0 ? 0x123456789abcdefL : random.nextLong();
        long low = random.nextInt(4) == 0 ? 0x9abcdef0L : random.nextLong();
        return new UUID(high, low);
    }
}
