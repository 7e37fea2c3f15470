package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.RULES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.server.ApiClient.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Races over HTTP: clients with connections of their own, released together. Neutron checks overlaps
 * without a lock and admits several of a set of overlapping rules; we admit exactly one (the label row
 * is locked first), and two bulk requests that lock the same labels do not deadlock.
 */
abstract class ConcurrentCreateApiContract extends HttpContract {
    private static final int CLIENTS = 8;
    /** Every pair of these overlaps: each holds 10.0.0.1 (one is the same prefix twice, one has host bits set). */
    private static final List<String> OVERLAPPING = List.of("10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24",
            "10.0.0.0/25", "10.0.0.1/30", "10.0.0.1", "10.0.0.0/24", "10.0.0.1/31");

    @RepeatedTest(10) // a race: one green run proves little
    void of_eight_clients_posting_overlapping_rules_to_one_label_exactly_one_is_admitted() {
        String label = createLabel(newProject(), "race");

        List<ApiClient.Response> answers = race((client, index) -> client.post(RULES, Caller.ADMIN,
                body("metering_label_rule", "metering_label_id", label, "direction", "egress",
                        "remote_ip_prefix", OVERLAPPING.get(index))));

        assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(1);
        assertThat(answers).filteredOn(answer -> answer.status() != 201).hasSize(CLIENTS - 1)
                .allSatisfy(answer -> {
                    assertThat(answer.status()).as("%s", answer).isEqualTo(409);
                    assertThat(answer.errorType()).isEqualTo("MeteringLabelRuleOverlaps");
                });
        assertThat(items(api.get(RULES + "?metering_label_id=" + label, Caller.ADMIN), "metering_label_rules"))
                .hasSize(1);
    }

    @RepeatedTest(5)
    void bulk_creates_locking_two_labels_in_opposite_orders_all_succeed() {
        String first = createLabel(newProject(), "first");
        String second = createLabel(newProject(), "second");

        List<ApiClient.Response> answers = race((client, index) -> {
            var one = rule(index % 2 == 0 ? first : second, "10.%d.0.0/24".formatted(index));
            var two = rule(index % 2 == 0 ? second : first, "10.%d.1.0/24".formatted(index));
            return client.post(RULES, Caller.ADMIN, json(Map.of("metering_label_rules", List.of(one, two))));
        });

        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as("%s", answer).isEqualTo(201));
        assertThat(items(api.get(RULES + "?metering_label_id=%s&metering_label_id=%s".formatted(first, second),
                Caller.ADMIN), "metering_label_rules")).hasSize(2 * CLIENTS);
    }

    private static Map<String, Object> rule(String label, String remoteIpPrefix) {
        return Map.of("metering_label_id", label, "direction", "ingress", "remote_ip_prefix", remoteIpPrefix);
    }

    /** One client's request in a race. */
    @FunctionalInterface
    private interface Request {
        ApiClient.Response send(ApiClient client, int index);
    }

    /** Sends {@code request} once per client, each with connections of its own, all released at once. */
    private List<ApiClient.Response> race(Request request) {
        CountDownLatch start = new CountDownLatch(1);
        List<ApiClient> clients = new ArrayList<>();
        List<CompletableFuture<ApiClient.Response>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int i = 0; i < CLIENTS; i++) {
                int index = i;
                ApiClient client = new ApiClient(api);
                clients.add(client);
                answers.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return request.send(client, index);
                }, pool));
            }
            start.countDown();
            return answers.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
            clients.forEach(ApiClient::close);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
