package dev.netmeter.service;

import dev.netmeter.domain.HostSyncData;
import dev.netmeter.persistence.Transactor;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads sync data for the hosts asked for while an earlier read runs, together, in one snapshot: when a
 * shared label changes, thousands of agents are woken at once, and a read per host would cost thousands of
 * transactions where a few do. A request never joins a read that has already started (whose snapshot may
 * predate the change it was woken for). Thread-safe; callers block on virtual threads.
 */
final class BatchingSyncReader {
    /** Hosts in one read: bounds the statement's parameter list and the memory of one answer. */
    static final int MAX_HOSTS_PER_READ = 1024;
    /** Reads at once: two let answers be written from one read while the next runs; more would only contend. */
    static final int MAX_CONCURRENT_READS = 2;

    private final Transactor tx;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, CompletableFuture<HostSyncData>> pending = new LinkedHashMap<>();
    private int running;

    BatchingSyncReader(Transactor tx) {
        this.tx = tx;
    }

    /** The sync data of {@code host}, from a snapshot taken after this call began. */
    HostSyncData read(String host) throws InterruptedException {
        CompletableFuture<HostSyncData> result;
        boolean startReader = false;
        lock.lock();
        try {
            result = pending.computeIfAbsent(host, key -> new CompletableFuture<>());
            if (running < MAX_CONCURRENT_READS) {
                running++;
                startReader = true;
            }
        } finally {
            lock.unlock();
        }
        if (startReader) {
            Thread.ofVirtual().name("netmeter-sync-read").start(this::readWhilePending);
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;      // e.g. the database is unavailable: the caller answers 503
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void readWhilePending() {
        while (true) {
            Map<String, CompletableFuture<HostSyncData>> batch = new HashMap<>();
            lock.lock();
            try {
                if (pending.isEmpty()) {
                    running--;
                    return;
                }
                for (Iterator<Map.Entry<String, CompletableFuture<HostSyncData>>> entries = pending.entrySet()
                        .iterator();
                     entries.hasNext() && batch.size() < MAX_HOSTS_PER_READ; ) {
                    Map.Entry<String, CompletableFuture<HostSyncData>> entry = entries.next();
                    batch.put(entry.getKey(), entry.getValue());
                    entries.remove();
                }
            } finally {
                lock.unlock();
            }
            try {
                Map<String, HostSyncData> data = tx.inSnapshot(repos -> repos.sync().read(batch.keySet()));
                batch.forEach((host, future) -> future.complete(data.get(host)));
            } catch (RuntimeException | Error e) {
                batch.values().forEach(future -> future.completeExceptionally(e));
            }
        }
    }
}
